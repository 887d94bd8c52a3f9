// Showing personal data in full (unmask=1) asks the person why, and — once
// every step_up_minutes — for its password again (POST /session/step-up).
// withStepUp(t, run): run(purpose) makes the request; resolves to its
// answer, or to null when the person cancels.
import { ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message-box/style/css'
import { api } from './api.js'

async function ask(t, title, text, opts) {
  try {
    return (
      await ElMessageBox.prompt(text, title, {
        confirmButtonText: t('app.confirm'),
        cancelButtonText: t('app.cancel'),
        ...opts,
      })
    ).value
  } catch {
    return null
  }
}

export async function withStepUp(t, run) {
  const purpose = await ask(t, t('stepUp.purposeTitle'), t('stepUp.purpose'), {
    inputValidator: (v) => (v && v.trim().length >= 2 && v.trim().length <= 200) || t('stepUp.purposeRule'),
  })
  if (purpose === null) return null
  try {
    return await run(purpose.trim())
  } catch (e) {
    if (!e || e.code !== 'step_up_required') throw e
  }
  for (;;) {
    const pw = await ask(t, t('stepUp.title'), t('stepUp.password'), {
      inputType: 'password',
      inputValidator: (v) => !!v || t('stepUp.password'),
    })
    if (pw === null) return null
    try {
      await api.post('/session/step-up', { password: pw })
      break
    } catch (e) {
      if (!e || e.code !== 'validation_failed') throw e
    }
  }
  return run(purpose.trim())
}
