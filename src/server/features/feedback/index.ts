export {
  MAX_MESSAGE_CHARS,
  parseFeedbackEvent,
  parseUserReport,
  type FeedbackInput,
} from './feedback-input.js';
export { processFeedbackRecords, processUserReportRecords } from './feedback-processor.js';
export {
  FeedbackRepository,
  resolvePendingIssues,
  saveFeedback,
  type FeedbackRecord,
} from './feedback-repository.js';
export { registerFeedbackRoutes } from './feedback-routes.js';
