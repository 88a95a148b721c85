import { Form } from 'react-router'
import { CHECKLIST_ITEMS, checklistStateText, type ChecklistItem, type ChecklistState } from '~/domain/session-safety'
import { Button } from './button'
import { Tag } from './tag'

export const CHECKLIST_SHORT_NAMES: Record<ChecklistItem, string> = {
  lobby: 'Lobby on',
  'no-presenting': 'Attendees cannot present',
  recording: 'Recording',
  cameras: 'Cameras and names',
}

/**
 * The "before the call" checklist: each item in the words of the consents as they are now, who
 * ticked it and when, and one button to tick or untick it (one item per press, so two people
 * ticking on two devices never undo each other's ticks).
 */
export function SessionChecklist({
  activityId,
  wording,
  state,
  canTick,
}: {
  activityId: number
  wording: Record<ChecklistItem, string>
  state: Partial<Record<ChecklistItem, ChecklistState>>
  canTick: boolean
}) {
  const done = CHECKLIST_ITEMS.filter((item) => state[item]?.ticked).length
  return (
    <section className="govuk-!-margin-bottom-6" aria-labelledby="before-the-call" id="checklist">
      <h2 className="govuk-heading-m" id="before-the-call">
        Before the call
      </h2>
      <p className="govuk-body">{`${done} of ${CHECKLIST_ITEMS.length} checks done.`}</p>
      <ul className="govuk-list">
        {CHECKLIST_ITEMS.map((item) => {
          const ticked = state[item]?.ticked === true
          return (
            <li className="govuk-summary-card" key={item} id={`check-${item}`}>
              <div className="govuk-summary-card__title-wrapper">
                <h3 className="govuk-summary-card__title">
                  {CHECKLIST_SHORT_NAMES[item]}{' '}
                  {ticked ? <Tag colour="green">Done</Tag> : <Tag colour="grey">Not done</Tag>}
                </h3>
              </div>
              <div className="govuk-summary-card__content">
                <p className="govuk-body">{wording[item]}</p>
                <p className="govuk-body-s">{checklistStateText(state[item])}</p>
                {canTick ? (
                  <Form method="post" action={`/staff/activities/${activityId}/checklist`}>
                    <input type="hidden" name="item" value={item} />
                    <Button name="intent" value={ticked ? 'untick' : 'tick'} variant={ticked ? 'secondary' : 'primary'}>
                      {ticked ? 'Untick' : 'Tick as done'}
                      <span className="govuk-visually-hidden">{` (${CHECKLIST_SHORT_NAMES[item]})`}</span>
                    </Button>
                  </Form>
                ) : null}
              </div>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
