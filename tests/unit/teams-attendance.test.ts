// The Teams attendance report parser on the sample files in tests/fixtures/teams (the expected
// rows written out by hand from the files), on the same text in other encodings and separators,
// and on files that are not a report; then the name-matching rule on its own.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDuration, readTeamsReport, type TeamsReport } from '../../app/domain/teams-attendance'
import { matchAttendees, nameWords, type ImportPlace } from '../../app/domain/teams-import.server'

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/teams')
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)))

function read(bytes: Uint8Array): TeamsReport {
  const result = readTeamsReport(bytes)
  if (result.status !== 'read') throw new Error(`not read: ${result.problem}`)
  return result.report
}

function utf16(text: string, order: 'le' | 'be', bom = true): Uint8Array {
  const le = Buffer.from(text, 'utf16le')
  const body = order === 'le' ? le : Buffer.from(le).swap16()
  const mark = order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]
  return new Uint8Array(Buffer.concat([Buffer.from(bom ? mark : []), body]))
}

describe('reading a Teams attendance report', () => {
  it('reads the current report (UTF-16LE with a BOM, tab-separated, CRLF): one row per name, a dropped connection added up', () => {
    const bytes = fixture('teams-attendance-report.csv')
    expect([...bytes.slice(0, 4)]).toEqual([0xff, 0xfe, 0x31, 0x00]) // BOM, then "1" of "1. Summary"
    expect(read(bytes)).toEqual({
      layout: 'sections',
      meetingTitle: 'Slime science (after school)',
      // "10/03/2026" without AM/PM: the UK reading first, the US one too
      meetingDates: ['2026-03-10', '2026-10-03'],
      attendees: [
        { name: 'Robin Register', seconds: 3808, role: 'Organizer', joins: 1 },
        { name: 'Sam Carter (Guest)', seconds: 1205 + 1862, role: 'Attendee', joins: 2 },
        { name: 'Chloe (Guest)', seconds: 3300, role: 'Attendee', joins: 1 },
        { name: 'Grace Okafor (Guest)', seconds: 3500, role: 'Attendee', joins: 1 },
        { name: 'Leo (Guest)', seconds: 2712, role: 'Attendee', joins: 1 },
        { name: 'Alex Morgan (External)', seconds: 220, role: 'Attendee', joins: 1 },
        { name: 'Kim Lee', seconds: 3603, role: 'Presenter', joins: 1 },
      ],
    })
  })

  it('reads the report saved again from Excel (UTF-8 with a BOM, commas, quoted fields, accents)', () => {
    expect(read(fixture('teams-attendance-saved-from-excel.csv'))).toEqual({
      layout: 'sections',
      meetingTitle: 'Slime science (after school)',
      meetingDates: ['2026-03-10', '2026-10-03'],
      attendees: [
        { name: 'Register, Robin', seconds: 3808, role: 'Organizer', joins: 1 },
        { name: 'Sam Carter (Guest)', seconds: 3067, role: 'Attendee', joins: 2 },
        { name: 'Chloé (Guest)', seconds: 3300, role: 'Attendee', joins: 1 },
        { name: 'Grace Okafor (Guest)', seconds: 3500, role: 'Attendee', joins: 1 },
        { name: 'Leo "Lion" (Guest)', seconds: 2712, role: 'Attendee', joins: 1 },
        { name: 'Alex Morgan (External)', seconds: 220, role: 'Attendee', joins: 1 },
        { name: 'Lee, Kim', seconds: 3603, role: 'Presenter', joins: 1 },
      ],
    })
  })

  it('reads the older flat list of joins and leaves (US times with AM/PM), adding up each name’s time in the meeting', () => {
    expect(read(fixture('teams-attendance-2020.csv'))).toEqual({
      layout: 'join-leave-list',
      meetingTitle: null,
      // "3/10/2026, 3:58:12 PM": AM/PM makes the US reading the likelier
      meetingDates: ['2026-03-10', '2026-10-03'],
      attendees: [
        { name: 'Robin Register', seconds: 3808, role: null, joins: 1 },
        { name: 'Kim Lee', seconds: 3603, role: null, joins: 1 },
        { name: 'Sam Carter (Guest)', seconds: 3067, role: null, joins: 2 },
        { name: 'Chloe (Guest)', seconds: 3300, role: null, joins: 1 },
        { name: 'Grace Okafor (Guest)', seconds: 3500, role: null, joins: 1 },
        { name: 'Leo (Guest)', seconds: 2712, role: null, joins: 1 },
        { name: 'Alex Morgan (External)', seconds: 220, role: null, joins: 1 },
      ],
    })
  })

  it('reads the same report in UTF-16BE, UTF-16 without a BOM, UTF-8 without a BOM and Windows-1252', () => {
    const text = new TextDecoder('utf-16le').decode(fixture('teams-attendance-report.csv').subarray(2))
    const expected = read(fixture('teams-attendance-report.csv'))
    expect(read(utf16(text, 'be'))).toEqual(expected)
    expect(read(utf16(text, 'le', false))).toEqual(expected)
    expect(read(new TextEncoder().encode(text))).toEqual(expected)
    // "Chloé" in Windows-1252 is one byte, 0xE9, which is not UTF-8
    const latin = Buffer.from(text.replace('Chloe (Guest)', 'Chloé (Guest)'), 'latin1')
    expect(latin.includes(0xe9)).toBe(true)
    expect(read(new Uint8Array(latin)).attendees[2]).toEqual({
      name: 'Chloé (Guest)',
      seconds: 3300,
      role: 'Attendee',
      joins: 1,
    })
  })

  it('reads the 2021 layout ("Meeting Summary", "Full Name", "Duration") and semicolon-separated CSV', () => {
    const older = [
      'Meeting Summary',
      'Total Number of Participants\t2',
      'Meeting Title\tDance party',
      'Meeting Start Time\t12/5/2021, 4:00:01 PM',
      'Meeting End Time\t12/5/2021, 5:00:00 PM',
      '',
      'Full Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\tParticipant ID (UPN)',
      'Ava Smith\t12/5/2021, 4:01:00 PM\t12/5/2021, 4:59:00 PM\t58m\t\tAttendee\t',
      'Robin Register\t12/5/2021, 4:00:01 PM\t12/5/2021, 5:00:00 PM\t59m 59s\trobin@example.org\tOrganizer\trobin@example.org',
    ].join('\n')
    expect(read(utf16(older, 'le'))).toEqual({
      layout: 'sections',
      meetingTitle: 'Dance party',
      meetingDates: ['2021-12-05', '2021-05-12'],
      attendees: [
        { name: 'Ava Smith', seconds: 3480, role: 'Attendee', joins: 1 },
        { name: 'Robin Register', seconds: 3599, role: 'Organizer', joins: 1 },
      ],
    })
    const semicolons =
      'Full Name;User Action;Timestamp\r\nAva;Joined;14/10/2020 16:00:00\r\nAva;Left;14/10/2020 16:30:00\r\n'
    expect(read(new TextEncoder().encode(semicolons))).toEqual({
      layout: 'join-leave-list',
      meetingTitle: null,
      // 14 cannot be a month: only the UK reading
      meetingDates: ['2020-10-14'],
      attendees: [{ name: 'Ava', seconds: 1800, role: null, joins: 1 }],
    })
  })

  it('counts "Joined before" as in the meeting, and someone never seen leaving as there until the last time in the report', () => {
    const list = [
      'Full Name\tUser Action\tTimestamp',
      'Ava\tJoined before\t3/10/2026, 4:00:00 PM',
      'Leo\tJoined\t3/10/2026, 4:10:00 PM',
      'Ava\tLeft\t3/10/2026, 4:20:00 PM',
      'Mia\tJoined\t3/10/2026, 4:30:00 PM',
      'Mia\tLeft\t3/10/2026, 4:45:00 PM',
    ].join('\r\n')
    expect(read(utf16(list, 'le')).attendees).toEqual([
      { name: 'Ava', seconds: 1200, role: null, joins: 1 },
      { name: 'Leo', seconds: 2100, role: null, joins: 1 },
      { name: 'Mia', seconds: 900, role: null, joins: 1 },
    ])
  })

  it('says clearly what is wrong with a file that is not a report', () => {
    const problem = (bytes: Uint8Array) => readTeamsReport(bytes)
    expect(problem(new Uint8Array())).toEqual({ status: 'problem', problem: 'empty' })
    expect(problem(new Uint8Array([0xff, 0xfe]))).toEqual({ status: 'problem', problem: 'empty' })
    expect(problem(new TextEncoder().encode(' \r\n\r\n'))).toEqual({ status: 'problem', problem: 'empty' })
    // an .xlsx is a zip; an .xls an OLE compound file
    expect(problem(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toEqual({
      status: 'problem',
      problem: 'spreadsheet',
    })
    expect(problem(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]))).toEqual({
      status: 'problem',
      problem: 'spreadsheet',
    })
    // the register's own CSV, a PNG, random text
    expect(problem(new TextEncoder().encode('First name,Age on the day,Home authority\r\nAva,7,Kent\r\n'))).toEqual({
      status: 'problem',
      problem: 'not-teams',
    })
    expect(problem(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toEqual({
      status: 'problem',
      problem: 'not-teams',
    })
    expect(problem(new TextEncoder().encode('Dear Sir or Madam,\nplease find attached'))).toEqual({
      status: 'problem',
      problem: 'not-teams',
    })
    // the headings and nobody under them
    expect(
      problem(utf16('2. Participants\r\nName\tFirst Join\tLast Leave\tIn-Meeting Duration\r\n\r\n', 'le')),
    ).toEqual({
      status: 'problem',
      problem: 'no-names',
    })
  })

  it('never throws, whatever the bytes: every cut-off copy of the sample files, and noise', () => {
    for (const name of [
      'teams-attendance-report.csv',
      'teams-attendance-saved-from-excel.csv',
      'teams-attendance-2020.csv',
    ]) {
      const bytes = fixture(name)
      for (let length = 0; length <= bytes.length; length += 3) {
        const result = readTeamsReport(bytes.subarray(0, length))
        expect(['read', 'problem']).toContain(result.status)
      }
    }
    // a fixed pseudo-random sequence, so a failure repeats
    let seed = 42
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256
    for (let i = 0; i < 300; i++) {
      const noise = new Uint8Array(1 + (i % 97)).map(next)
      expect(['read', 'problem']).toContain(readTeamsReport(noise).status)
      // noise after a real heading line
      const tail = new Uint8Array([...new TextEncoder().encode('Full Name\tUser Action\tTimestamp\n'), ...noise])
      expect(['read', 'problem']).toContain(readTeamsReport(tail).status)
    }
  })

  it('reads durations as Teams writes them', () => {
    expect(parseDuration('1h 3m 28s')).toBe(3808)
    expect(parseDuration('45m 12s')).toBe(2712)
    expect(parseDuration('55m')).toBe(3300)
    expect(parseDuration('30s')).toBe(30)
    expect(parseDuration('2h')).toBe(7200)
    expect(parseDuration('00:45:12')).toBe(2712)
    expect(parseDuration('')).toBeNull()
    expect(parseDuration('about an hour')).toBeNull()
  })
})

describe('matching Teams names to the children booked', () => {
  const place = (
    placeId: number,
    firstName: string,
    family: string,
    carerName: string | null,
    attended: boolean | null = null,
  ): ImportPlace => ({
    placeId,
    firstName,
    ageOnDay: 7,
    authorityName: 'Kent',
    attended,
    familyKey: family,
    carerName,
  })
  const attendee = (name: string, seconds: number | null = 600, role: string | null = 'Attendee') => ({
    name,
    seconds,
    role,
    joins: 1,
  })

  it('compares names as words, ignoring case, accents, brackets, punctuation and surname-first order', () => {
    expect(nameWords('Sam Carter (Guest)')).toEqual(['sam', 'carter'])
    expect(nameWords('CHLOÉ (External)')).toEqual(['chloe'])
    expect(nameWords('Carter, Sam')).toEqual(['sam', 'carter'])
    expect(nameWords('Sam’s iPad')).toEqual(['sam', 'ipad'])
    expect(nameWords("Ciarán O'Brien [Unverified]")).toEqual(['ciaran', 'obrien'])
    expect(nameWords('Mary-Jane  Smith')).toEqual(['mary-jane', 'smith'])
    expect(nameWords('Leo "Lion" (Guest)')).toEqual(['leo', 'lion'])
  })

  it('matches a child by first name, a family’s device by the parent or carer’s name, and lists the rest', () => {
    const places = [
      place(1, 'Sam', 'f1', 'Jo Carter'),
      place(2, 'Chloé', 'f2', 'Hannah Webb'),
      place(3, 'Tom', 'f3', 'Grace Amara Okafor'),
      place(4, 'Zoë', 'f3', 'Grace Amara Okafor'),
      place(5, 'Mia', 'f4', 'Dan Jones'),
    ]
    const review = matchAttendees(
      [
        attendee('Robin Register', 3600, 'Organizer'),
        attendee('Sam Carter (Guest)', 1200),
        attendee('chloe', 3300),
        attendee('Grace Okafor (Guest)', 3500),
        attendee('Alex Morgan (External)', 220),
        attendee('Sam Carter (Guest)', 1800),
        attendee('Mia Jones', 60, 'Organizer'),
      ],
      places,
    )
    expect(review.places.map((p) => [p.firstName, p.suggestion, p.seen.map((s) => `${s.name} ${s.via}`)])).toEqual([
      ['Sam', 'yes', ['Sam Carter (Guest) child', 'Sam Carter (Guest) child']],
      ['Chloé', 'yes', ['chloe child']],
      ['Tom', 'yes', ['Grace Okafor (Guest) carer']],
      ['Zoë', 'yes', ['Grace Okafor (Guest) carer']],
      // an organiser is never matched, even with a child's name
      ['Mia', 'no', []],
    ])
    expect(review.unmatched.map((a) => a.name)).toEqual(['Robin Register', 'Alex Morgan (External)', 'Mia Jones'])
  })

  it('never guesses between two children of one first name, unless exactly one family has the name’s surname', () => {
    const places = [
      place(1, 'Leo', 'f1', 'Priya Patel'),
      place(2, 'Leo', 'f2', 'Mark Brown', true),
      place(3, 'Ava', 'f3', 'Kim Shah'),
    ]
    const ambiguous = matchAttendees([attendee('Leo (Guest)', 2712)], places)
    expect(
      ambiguous.places.map((p) => [
        p.placeId,
        p.suggestion,
        p.seen.length,
        p.possible.map((m) => `${m.name}: ${m.alsoCouldBe.join(', ')}`),
      ]),
    ).toEqual([
      [1, null, 0, ['Leo (Guest): Leo (age 7)']],
      // already marked by hand: that mark stands until staff change it
      [2, 'yes', 0, ['Leo (Guest): Leo (age 7)']],
      [3, 'no', 0, []],
    ])
    expect(ambiguous.unmatched).toEqual([])
    const bySurname = matchAttendees([attendee('Leo Brown')], places)
    expect(bySurname.places.map((p) => [p.placeId, p.seen.map((s) => s.name), p.possible.length])).toEqual([
      [1, [], 0],
      [2, ['Leo Brown'], 0],
      [3, [], 0],
    ])
    // a surname neither family has: still for staff to choose
    const neither = matchAttendees([attendee('Leo Smith')], places)
    expect(neither.places.map((p) => p.possible.length)).toEqual([1, 1, 0])
  })

  it('takes a parent’s whole name as their family’s device, even when another family’s child has their first name', () => {
    const places = [place(1, 'Sam', 'f1', 'Jo Carter'), place(2, 'Jo', 'f2', 'Pat Green')]
    const review = matchAttendees([attendee('Jo Carter')], places)
    // the surname is the Carters', not the Greens'
    expect(review.places.map((p) => [p.firstName, p.suggestion, p.seen.map((s) => s.via), p.possible.length])).toEqual([
      ['Sam', 'yes', ['carer'], 0],
      ['Jo', 'no', [], 0],
    ])
    // a parent who shares a first name with their own child: the name could be either, so staff choose for both
    const same = matchAttendees(
      [attendee('Jo Carter')],
      [place(1, 'Sam', 'f1', 'Jo Carter'), place(2, 'Jo', 'f1', 'Jo Carter')],
    )
    expect(same.places.map((p) => [p.firstName, p.suggestion, p.possible.length])).toEqual([
      ['Sam', null, 1],
      ['Jo', null, 1],
    ])
  })

  it('keeps a mark already on the register for a child not seen, and suggests did not attend otherwise', () => {
    const review = matchAttendees(
      [attendee('Someone Else')],
      [place(1, 'Ava', 'f1', null, true), place(2, 'Leo', 'f2', null, false), place(3, 'Mia', 'f3', null)],
    )
    expect(review.places.map((p) => p.suggestion)).toEqual(['yes', 'no', 'no'])
    expect(review.unmatched.map((a) => a.name)).toEqual(['Someone Else'])
  })
})
