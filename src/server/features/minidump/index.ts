export { registerMinidumpRoutes } from './minidump-routes.js';
