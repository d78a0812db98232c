export { registerOtlpRoutes, type OtlpRoutesOptions } from './otlp-routes.js';
