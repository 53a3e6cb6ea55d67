/**
 * Everyday English words. They are real words, so the spelling repair must leave them alone
 * ("stop" is not a typo of "step"), and they say little about which answer is wanted, so a
 * message is only lightly marked down for carrying them.
 */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  `able accident across act action actually add after afternoon again age ago agree ahead air all allow almost alone along
  already also although always among amount angry another answer anybody anymore anything anyway anywhere appear apply area
  arm around arrive ask asked asking away awful baby back bad bag bath beach beautiful became because become bed bedroom been
  before began begin behind believe below beside best better between big bit black blue body book boring born both bother bottle
  box boy break breakfast bring brother brought build bus busy buy call called came car card care careful carry case cat catch
  caught certain chair chance change changed changing cheap check child children choose city class clean clear clearly close
  clothes coffee cold colour color come comes coming comfortable company completely concern consider continue cook cool corner
  could couch count couple course cousin crazy cry cup cut dad daily damn dark date daughter day days dead deal dear decide
  decided deep definitely desk did die different difficult dinner dirty doing dog done door double down dream dress drink drop
  dry during each early easy eat either else email empty end enjoy enough entire especially even evening ever every everybody
  everyday everyone everything exactly example except excited expect expensive explain eye eyes face fact fair fall family far
  fast father fault favourite favorite fear feel feeling feels felt few fight figure fill finally find fine finish fire first fit
  five fix floor follow food foot for forever forget forward found four free friday friend friends front full fun funny future
  game gave get getting girl give given glad go goes going gone good got great green group grow guess guy half hand hang happen
  happened happy hard hate head hear heard heart heavy hello help her here high hold holiday home honest hope horrible hospital hot
  hour hours house how however huge hundred hurry husband idea important inside instead into job join jump just keep kept kid
  kids kind kitchen knew know known lady large last late later laugh lay lazy learn least leave left less let letter lie life
  light like liked line list listen little live long look looked looking lose lost lot loud love lovely low lucky lunch mad made
  make makes making man many married matter maybe mean meant meet mention message middle might mind mine minute minutes mirror
  miss mom monday money month months morning mother move moved much mum must myself name near nearly need needed needs neither
  nervous never new news next nice night nobody noise none normal nothing notice now number of off office often okay old once
  only open opinion order other others otherwise our out outside over own page pair paper parent parents part party past pay
  people perfect perhaps period person phone pick picture piece place plan play please plus point pool poor possible post pretty
  probably problem promise pull push put question quick quickly quiet quite rain rather reach read ready real really reason
  red remember rest right road room round rule run sad safe said same saturday save saw say saying says scared school second
  see seem seemed seen sell send sense serious set seven several shall share she shirt shoes shop short should shout show sick
  side sign simple since sister sit six size sleep slow small smell smile so some somebody someone something sometimes somewhere
  son soon sorry sort sound speak special spend spent stand start started stay step still stop story strange street strong stuck
  stuff stupid such sudden suddenly summer sun sunday supposed sure surprise table take taken talk tall taste tea teach team tell
  ten terrible than thank that the their them then there these thing things think third this those though thought three through
  throw thursday till time tired today together told tomorrow tonight too took top totally touch town tried trip trouble true
  trust try trying tuesday turn turned two under understand until upset use used useful usual usually very visit wait waiting
  wake walk wall want wanted war warm was wash watch water way wear weather wedding wednesday week weekend weeks weird well
  went were what when where whether which while white whole why wife will win window wish with within without woman women
  wonder wonderful word work world worried worry worse worst would write wrong year years yellow yes yesterday yet young`
    .split(/\s+/)
    .filter(Boolean),
);
