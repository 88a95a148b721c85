// SMTP_URL's TLS rule: smtp:// to any host but this machine must upgrade with STARTTLS or fail,
// unless the URL says requireTLS=false itself; smtps:// is TLS from the start.
import { describe, expect, it } from 'vitest'
import { smtpUrlRequiringTls, smtpUrlWithTimeouts } from '../../app/email/worker.server'

function query(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams)
}

describe('smtpUrlRequiringTls', () => {
  it('requires TLS for smtp:// to another machine', () => {
    expect(query(smtpUrlRequiringTls('smtp://user:pass@mail.example.org:587'))).toEqual({ requireTLS: 'true' })
    expect(query(smtpUrlRequiringTls('smtp://192.0.2.10:25'))).toEqual({ requireTLS: 'true' })
    expect(query(smtpUrlRequiringTls('smtp://[2001:db8::1]:25'))).toEqual({ requireTLS: 'true' })
    // ignoreTLS does not turn encryption off: nodemailer lets requireTLS win
    expect(query(smtpUrlRequiringTls('smtp://mail.example.org?ignoreTLS=true'))).toEqual({
      ignoreTLS: 'true',
      requireTLS: 'true',
    })
  })

  it('keeps the user, password and port', () => {
    const url = new URL(smtpUrlRequiringTls('smtp://us%40er:p%3Ass@mail.example.org:2525'))
    expect([url.username, url.password, url.hostname, url.port]).toEqual([
      'us%40er',
      'p%3Ass',
      'mail.example.org',
      '2525',
    ])
  })

  it('leaves a loopback host as it is: mail to this machine does not cross the network', () => {
    for (const host of ['127.0.0.1', '127.0.0.53', 'localhost', 'LOCALHOST', '[::1]']) {
      expect(query(smtpUrlRequiringTls(`smtp://${host}:2525`)), host).toEqual({})
    }
  })

  it('does what SMTP_URL says when it says requireTLS itself', () => {
    expect(query(smtpUrlRequiringTls('smtp://mail.example.org:25?requireTLS=false'))).toEqual({ requireTLS: 'false' })
    expect(query(smtpUrlRequiringTls('smtp://127.0.0.1:25?requireTLS=true'))).toEqual({ requireTLS: 'true' })
  })

  it('leaves smtps:// alone: it is TLS from the first byte', () => {
    expect(query(smtpUrlRequiringTls('smtps://mail.example.org:465'))).toEqual({})
  })

  it('composes with the timeouts', () => {
    expect(
      query(
        smtpUrlWithTimeouts(smtpUrlRequiringTls('smtp://mail.example.org'), {
          connectionMs: 1,
          greetingMs: 2,
          socketMs: 3,
        }),
      ),
    ).toEqual({ requireTLS: 'true', connectionTimeout: '1', greetingTimeout: '2', socketTimeout: '3' })
  })
})
