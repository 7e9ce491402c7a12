/**
 * A `LIMIT` read from a bound parameter, written so that SQLite does not re-prepare the statement
 * on every run. SQLite (3.51, as better-sqlite3 12 bundles it) plans a bare `LIMIT ?` around the
 * value bound, so binding it again expires the plan, and better-sqlite3 binds on every run: the
 * claim's three statements were parsed and planned anew for every claim, ~10 % of an idle
 * worker's CPU (docs/performance.md). Inside a `CAST`, the limit is an expression the planner does
 * not read. A limit that never changes belongs in the SQL text instead; a bound `OFFSET` does no
 * such harm.
 * @example db.prepare(`SELECT id FROM messages ORDER BY seq LIMIT ${boundLimit('@want')}`)
 */
export function boundLimit(parameter: string): string {
  return `CAST(${parameter} AS INTEGER)`;
}
