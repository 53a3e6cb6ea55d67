import { readdirSync, statSync, unlinkSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The folder for everything the bot derives from the knowledge base and may rebuild at any
 * time (validated snapshots, trained models, sentence vectors): CACHE_DIR, else
 * $XDG_CACHE_HOME/hourglass-faq-bot, else ~/.cache/hourglass-faq-bot.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CACHE_DIR) return env.CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "hourglass-faq-bot");
}

/** Deletes all but the `keep` most recently modified files of the folder whose names match. */
export function keepNewest(dir: string, names: RegExp, keep: number): void {
  const files = readdirSync(dir)
    .filter((name) => names.test(name))
    .map((name) => ({ name, time: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const { name } of files.slice(keep)) unlinkSync(join(dir, name));
}
