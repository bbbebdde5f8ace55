/**
 * Every schema in the core is written with zod's tree-shakable API (`zod/mini`): the same
 * validation and issues as the chained API at a fraction of the bundle (tens of kilobytes rather
 * than 600 KB in every bundle that validates anything, which the command and each reader thread
 * load at every start). The mini build loads no messages of its own, so a module that declares
 * schemas imports this one for its effect: zod's English messages, as the chained API gives them.
 * (Each imports `zod/mini` itself: re-exporting the namespace from here would bundle all of it.)
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
