// The console's capabilities, one line each: a feature folder exports its
// routes, nav entries and messages, and the router, the layout and i18n
// take them from here.
import accounts from './accounts/index.js'
import announcements from './announcements/index.js'
import approvals from './approvals/index.js'
import audit from './audit/index.js'
import calendar from './calendar/index.js'
import dashboard from './dashboard/index.js'
import evaluation from './evaluation/index.js'
import inbox from './inbox/index.js'
import me from './me/index.js'
import notices from './notices/index.js'
import orgs from './orgs/index.js'
import plans from './plans/index.js'
import points from './points/index.js'
import system from './system/index.js'
import workers from './workers/index.js'

export const features = [dashboard, workers, orgs, plans, evaluation, points, inbox, announcements, notices, calendar, approvals, me, accounts, system, audit]
