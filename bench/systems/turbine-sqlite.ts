import { createTurbine } from './turbine.js';
import type { CreateSystem } from './types.js';

/**
 * Turbine on its embedded SQLite broker, the default when no broker URL is set: one database file
 * that the worker and producer processes share, with the same tasks and defaults as on Redis.
 */
export const createSystem: CreateSystem = ({ sqlitePath }) => createTurbine(`sqlite://${sqlitePath}`);
