import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";

/** A fresh temporary folder inside the run's own folder, which the global setup removes after the run. */
export function temporaryDir(prefix: string): string {
  return mkdtempSync(join(inject("temporaryRoot"), prefix));
}
