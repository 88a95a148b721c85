// The one test of whether a waiting place can be given (or offered) a freed space now.
import { describe, expect, it } from 'vitest'
import { heldBack } from '../../app/domain/waiting-ready'

const ages5to11 = { min_age: 5, max_age: 11 }

describe('a waiting place held back', () => {
  it('is ready when its booking is not on hold and the child is within the ages, at either end', () => {
    expect(heldBack({ holdReason: null, ageOnDay: 5 }, ages5to11)).toBe(false)
    expect(heldBack({ holdReason: null, ageOnDay: 11 }, ages5to11)).toBe(false)
  })
  it('waits while its booking is held for the address or for approval', () => {
    expect(heldBack({ holdReason: 'address', ageOnDay: 8 }, ages5to11)).toBe(true)
    expect(heldBack({ holdReason: 'approval', ageOnDay: 8 }, ages5to11)).toBe(true)
  })
  it('waits while the child is younger or older than the session’s ages', () => {
    expect(heldBack({ holdReason: null, ageOnDay: 4 }, ages5to11)).toBe(true)
    expect(heldBack({ holdReason: null, ageOnDay: 12 }, ages5to11)).toBe(true)
  })
})
