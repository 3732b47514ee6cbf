import { photonProject } from '../../vitest.shared.js';

export default photonProject('plugin-watchdog');
