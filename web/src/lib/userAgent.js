// "Mozilla/5.0 (Windows NT 10.0; Win64; x64) … Chrome/120.0 …" as an
// official reads it: 浏览器 Chrome 120, 系统 Windows 10. Only for display;
// the server keeps the string as it came.
const BROWSERS = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/MicroMessenger\/(\d+)/, '微信'],
  [/DingTalk\/(\d+)/, '钉钉'],
  [/QQBrowser\/(\d+)/, 'QQ 浏览器'],
  [/(?:OPR|Opera)\/(\d+)/, 'Opera'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/(?:Chrome|CriOS)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari/, 'Safari'],
  [/curl\/(\d+)/, 'curl'],
  [/node(?:-fetch)?\/?(\d*)/i, 'Node.js'],
]

function osOf(ua) {
  let m
  if ((m = /Windows NT (\d+\.\d+)/.exec(ua))) return 'Windows ' + ({ '10.0': '10/11', '6.3': '8.1', '6.2': '8', '6.1': '7' }[m[1]] || m[1])
  if ((m = /(?:iPhone|iPad).*? OS (\d+)/.exec(ua))) return 'iOS ' + m[1]
  if ((m = /Android (\d+)/.exec(ua))) return 'Android ' + m[1]
  if ((m = /HarmonyOS/.exec(ua))) return 'HarmonyOS'
  if ((m = /Mac OS X (\d+)[._](\d+)/.exec(ua))) return `macOS ${m[1]}.${m[2]}`
  if (/UOS|Deepin/i.test(ua)) return '统信 UOS'
  if (/Kylin/i.test(ua)) return '麒麟'
  if (/Linux/.test(ua)) return 'Linux'
  return ''
}

export function parseUserAgent(ua) {
  if (!ua) return { browser: '', os: '' }
  let browser = ''
  for (const [re, name] of BROWSERS) {
    const m = re.exec(ua)
    if (m) {
      browser = m[1] ? `${name} ${m[1]}` : name
      break
    }
  }
  return { browser, os: osOf(ua) }
}

export function userAgentText(ua) {
  const { browser, os } = parseUserAgent(ua)
  return [browser, os].filter(Boolean).join(' · ') || ua || '—'
}
