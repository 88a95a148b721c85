// Which route data makes the page title start "Error: ", and which names its step (app/page-title.tsx).
import { describe, expect, it } from 'vitest'
import { pageTitleOf, showsErrors, stepHeadingOf, withOutcome } from '../../app/page-title'

describe('showsErrors', () => {
  it('is true for field errors, one error message or a named one such as choiceError', () => {
    expect(showsErrors({ errors: { email: 'Enter your email address' }, values: {} })).toBe(true)
    expect(showsErrors({ emails: [], error: 'Choose a status' })).toBe(true)
    expect(showsErrors({ step: 'check', choiceError: 'Choose what to do' })).toBe(true)
  })

  it('is false with no data, empty errors, or no message', () => {
    expect(showsErrors(undefined)).toBe(false)
    expect(showsErrors(null)).toBe(false)
    expect(showsErrors({ errors: {}, sentTo: 'a@example.org' })).toBe(false)
    expect(showsErrors({ errors: { email: '' } })).toBe(false)
    expect(showsErrors({ error: null, notice: 'Saved' })).toBe(false)
    expect(showsErrors({ terror: 'not an error key' })).toBe(false)
  })
})

describe('stepHeadingOf', () => {
  it('is the step heading an action names', () => {
    expect(stepHeadingOf({ step: 'check', stepHeading: 'Check your answers before booking' })).toBe(
      'Check your answers before booking',
    )
  })
  it('is null with no action data, no heading, or one that is not words', () => {
    expect(stepHeadingOf(undefined)).toBeNull()
    expect(stepHeadingOf({ step: 'form', errors: {} })).toBeNull()
    expect(stepHeadingOf({ stepHeading: '' })).toBeNull()
    expect(stepHeadingOf({ stepHeading: 3 })).toBeNull()
  })
})

describe('pageTitleOf', () => {
  it('is the title an action names for the outcome it shows', () => {
    expect(pageTitleOf({ result: { status: 'released' }, pageTitle: 'Place released' })).toBe('Place released')
  })
  it('is null with no action data, no title, or one that is not words', () => {
    expect(pageTitleOf(undefined)).toBeNull()
    expect(pageTitleOf({ stepHeading: 'Check your answers' })).toBeNull()
    expect(pageTitleOf({ pageTitle: '' })).toBeNull()
    expect(pageTitleOf({ pageTitle: ['Place released'] })).toBeNull()
  })
})

describe('withOutcome', () => {
  it('puts the outcome in place of the page name and keeps the service name', () => {
    expect(withOutcome('Join our mailing list – Join In', 'Check your email')).toBe('Check your email – Join In')
    expect(withOutcome("Erase a family's details – Join In staff", 'Details erased')).toBe(
      'Details erased – Join In staff',
    )
    expect(withOutcome('Give feedback on Join In – Join In', 'Thank you for your feedback')).toBe(
      'Thank you for your feedback – Join In',
    )
    expect(withOutcome('Join In', 'Check your email')).toBe('Check your email')
  })
})
