import { describe, it, expect } from 'vitest'
import { parseUserAgent, userAgentText } from '../../src/lib/userAgent.js'

describe('a user agent in words', () => {
  it('names the browser and the system of common desktops and phones', () => {
    expect(parseUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36')).toEqual({ browser: 'Chrome 120', os: 'Windows 10/11' })
    expect(parseUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91')).toEqual({ browser: 'Edge 120', os: 'Windows 10/11' })
    expect(parseUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1')).toEqual({ browser: 'Safari 17', os: 'iOS 17' })
    expect(parseUserAgent('Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0 Mobile Safari/537.36 MicroMessenger/8.0.44')).toEqual({ browser: '微信 8', os: 'Android 13' })
    expect(parseUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0')).toEqual({ browser: 'Firefox 115', os: 'Linux' })
  })
  it('keeps what it cannot read', () => {
    expect(userAgentText('')).toBe('—')
    expect(userAgentText('SomeRobot')).toBe('SomeRobot')
    expect(userAgentText('curl/7.88.1')).toBe('curl 7')
  })
})
