// tsyringe needs the Reflect polyfill before any decorated class is evaluated.
import 'reflect-metadata';
