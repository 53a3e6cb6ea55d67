/**
 * English function words: they say how a question is asked, not what it is about.
 * Negations and question words that change meaning ("not", "when", "why", "how") are
 * deliberately absent. The knowledge base adds its own filler words on top.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a an the and or but if then so as of at by for with about against between into through
  above below to from up down in out on off over under again further once here there
  all any both each few more most other some such only own same than too very s t can will just
  i me my myself we our ours ourselves you your yours yourself yourselves u ur ya he him his himself
  she her hers herself it its itself they them their theirs themselves what which who whom this that
  these those am is are was were be been being have has had having do does did doing would should
  could ought im ive id youre youve youd hes shes its were theyre theyve ive ill youll well
  wanna gonna gotta let lets get gets got getting go goes going went make makes made
  r y yo is there theres thats whats wat wht hows whos heres
  one ones thing something anything everything someone anyone everyone
  also really much many lot lots bit
  may might must shall
  no not nor dont didnt doesnt isnt arent cant wont wasnt werent havent hasnt
  to the oh ah uh um`
    .split(/\s+/)
    .filter(Boolean),
);
