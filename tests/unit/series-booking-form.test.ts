// The series page's choices and the staff change form, as rules: which dates "all" and "some"
// mean, and the messages beside the fields.
import { describe, expect, it } from 'vitest'
import { chosenDates, parseSeriesPost, seriesChangeSchema } from '../../app/domain/series-booking-form'
import { fieldErrors } from '../../app/domain/form-fields'

describe('the dates a family chose', () => {
  it('takes every date still to come for "all", so closed ones can be shown as closed', () => {
    expect(chosenDates({ dates: 'all', activityId: [] }, [2, 3], [1, 2, 3])).toEqual({ ids: [1, 2, 3] })
  })
  it('takes only ticked dates that are open for "some", once each', () => {
    expect(chosenDates({ dates: 'some', activityId: [3, 1, 3, 9] }, [2, 3], [1, 2, 3])).toEqual({ ids: [3] })
  })
  it('asks for a choice, or a date, or says none is open', () => {
    expect(chosenDates({ dates: undefined, activityId: [] }, [2], [2]).error).toBe(
      'Select which dates you want to book',
    )
    expect(chosenDates({ dates: 'some', activityId: [] }, [2], [2]).error).toBe('Select at least one date')
    expect(chosenDates({ dates: 'all', activityId: [] }, [], [1]).error).toBe('No dates are open for booking')
  })
  it('reads odd posts as nothing chosen rather than failing', () => {
    expect(
      parseSeriesPost({
        mode: ['x'],
        dates: ['sometimes'],
        activityId: ['-1', 'abc', '1e99'],
        idempotencyKey: ['a_b'],
      }),
    ).toEqual({
      intent: 'check',
      mode: 'form',
      dates: undefined,
      activityId: [],
      childId: [],
      idempotencyKey: undefined,
    })
  })
})

describe('the staff form for the remaining sessions', () => {
  const errorsOf = (form: Record<string, string>) => {
    const parsed = seriesChangeSchema.safeParse(form)
    return parsed.success ? {} : fieldErrors(parsed.error)
  }
  it('needs a reason to cancel', () => {
    expect(errorsOf({ intent: 'cancel', reason: '  ' })).toEqual({
      reason: 'Enter why the sessions are cancelled. Everyone booked will be told',
    })
  })
  it('reads typed times, and the end must come after the start', () => {
    expect(seriesChangeSchema.parse({ intent: 'move', startTime: '4:30pm', endTime: '17:45' })).toMatchObject({
      startTime: '16:30',
      endTime: '17:45',
    })
    expect(errorsOf({ intent: 'move', startTime: '11:00', endTime: '10:00' })).toEqual({
      endTime: 'The end time must be after the start time',
    })
    expect(errorsOf({ intent: 'move', startTime: 'soon', endTime: '' })).toEqual({
      startTime: 'Enter a start time like 10:00 or 4:30pm',
      endTime: 'Enter an end time like 11:00 or 5:30pm',
    })
    expect(errorsOf({ intent: 'delete' })).toEqual({ intent: 'Choose what to do with the remaining sessions' })
  })
})
