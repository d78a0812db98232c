export { registerUserAdminRoutes, type UserAdminRoutesOptions } from './user-admin-routes.js';
