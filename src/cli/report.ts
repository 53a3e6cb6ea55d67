import { existsSync } from "node:fs";
import dotenv from "dotenv";
import { DEFAULT_SQLITE_PATH, redactPassword } from "../config.js";
import { buildReport, formatReport } from "../reporting/report.js";
import { DatabaseUnavailableError, openDatabase } from "../storage/database.js";
import { createStore } from "../storage/store.js";
import { parseCliArgs, runCli } from "./common.js";

const USAGE = "usage: npm run report -- [--days N] [--json]";
const DEFAULT_DAYS = 30;

/**
 * `npm run report`: what patients asked and how the bot did, from the bot's database
 * (DATABASE_URL, else SQLITE_PATH or data/bot.sqlite). Reads counters and votes only: no text.
 */
runCli(async () => {
  dotenv.config({ quiet: true });
  const { positional, flags, values } = parseCliArgs(process.argv.slice(2), { usage: USAGE, flags: ["json"], values: ["days"] });
  const days = Number(values.days ?? DEFAULT_DAYS);
  if (positional.length > 0 || !Number.isInteger(days) || days < 1 || days > 3650) throw new Error(USAGE);

  const url = process.env.DATABASE_URL?.trim() || undefined;
  const sqlitePath = process.env.SQLITE_PATH?.trim() || DEFAULT_SQLITE_PATH;
  if (!url && !existsSync(sqlitePath)) {
    console.error(`No database at ${sqlitePath} yet: the bot creates it when it first starts. Set DATABASE_URL or SQLITE_PATH to read another.`);
    return 1;
  }
  let database;
  try {
    database = await openDatabase({ url, sqlitePath });
  } catch (error) {
    if (!(error instanceof DatabaseUnavailableError)) throw error;
    console.error(redactPassword(error.message));
    return 1;
  }
  try {
    const report = await buildReport(createStore(database), { days, now: new Date() });
    console.log(flags.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return 0;
  } finally {
    await database.close();
  }
});
