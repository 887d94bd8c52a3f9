// The console's capabilities, one line each: a feature folder exports its
// routes, nav entries and messages, and the router, the layout and i18n
// take them from here.
import approvals from './approvals/index.js'
import calendar from './calendar/index.js'
import evaluation from './evaluation/index.js'
import inbox from './inbox/index.js'
import me from './me/index.js'
import notices from './notices/index.js'
import plans from './plans/index.js'
import points from './points/index.js'

export const features = [plans, evaluation, points, inbox, notices, calendar, approvals, me]
