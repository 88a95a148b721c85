// Reads iCalendar text with ical.js (not ical-generator, which wrote it), and turns an event's
// start or end into the instant it names, whether written in UTC or with a TZID. ical.js treats a
// TZID it has no VTIMEZONE for as floating (the reader's own zone), which would hide exactly the
// bug a zone-dependent writer makes; so the zone's offset is looked up here with Intl.
import ICAL from 'ical.js'

export function readCalendar(text: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(text))
}

export function firstEvent(calendar: ICAL.Component): ICAL.Event {
  const vevent = calendar.getFirstSubcomponent('vevent')
  if (!vevent) throw new Error('the calendar has no event')
  return new ICAL.Event(vevent)
}

/** The instant of DTSTART or DTEND: UTC as written, a TZID's wall time in that zone; a floating time fails. */
export function instantOf(event: ICAL.Event, property: 'dtstart' | 'dtend'): Date {
  const prop = event.component.getFirstProperty(property)
  if (!prop) throw new Error(`the event has no ${property.toUpperCase()}`)
  const time = prop.getFirstValue() as ICAL.Time
  const wall = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second)
  if (time.zone === ICAL.Timezone.utcTimezone) return new Date(wall)
  const tzid = prop.getParameter('tzid')
  if (typeof tzid !== 'string') throw new Error(`${property.toUpperCase()} is a floating time: it names no instant`)
  // the zone's offset at the instant; a second pass settles a guess made across a change of the clocks
  let instant = wall
  for (let pass = 0; pass < 2; pass += 1) instant = wall - offsetMs(tzid, instant)
  return new Date(instant)
}

function offsetMs(timeZone: string, at: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(new Date(at))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - at
}

/** "16:00" for an instant, as a clock in London shows it. */
export function londonClock(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at)
}
