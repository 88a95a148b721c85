import { describe, expect, it } from 'vitest'
import { telHref } from '../../app/domain/organisation'

describe('the team’s phone number as a link', () => {
  it('keeps only the digits a phone dials', () => {
    expect(telHref('03000 41 41 41')).toBe('tel:03000414141')
    expect(telHref(' 01634 306-000 ')).toBe('tel:01634306000')
    expect(telHref('(020) 8303 7777')).toBe('tel:02083037777')
  })

  it('keeps an international +, and drops the (0) dialled only inside the UK', () => {
    expect(telHref('+44 (0)1634 306000')).toBe('tel:+441634306000')
    expect(telHref('+44 3000 41 41 41')).toBe('tel:+443000414141')
  })
})
