// tsyringe needs the Reflect polyfill before any decorator runs.
import 'reflect-metadata';

// CI=true makes oclif and supports-color colour their output even through pipes; tests (and the
// photon processes they start, which inherit this environment) compare plain text.
process.env.NO_COLOR = '1';
process.env.FORCE_COLOR = '0';
