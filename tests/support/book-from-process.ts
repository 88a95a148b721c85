// Run as a separate process by the multi-process contention test: opens the same SQLite file
// and books N children concurrently through the app's booking function, printing the outcomes.
import { book } from '../../app/domain/bookings.server'
import { openDatabase } from '../../db/index'

const [file, activityId, worker, count, dob] = process.argv.slice(2)
const { db } = openDatabase(file!)
const outcomes: Record<string, number> = {}
const errors: string[] = []
await Promise.all(
  Array.from({ length: Number(count) }, async (_, i) => {
    try {
      const result = await book(
        db,
        {
          activityId: Number(activityId),
          contactName: 'Process parent',
          email: `p${worker}-${i}@example.org`,
          phone: null,
          authorityCode: 'E06000035',
          children: [{ firstName: `Proc${worker}x${i}`, dateOfBirth: dob!, supportNeeds: null }],
          mailingListOptIn: false,
          idempotencyKey: `process-${worker}-${i}-${activityId}`,
          acceptWaitlist: true,
        },
        { baseUrl: 'http://localhost', domain: 'test.invalid' },
        { maxChildren: 6 },
      )
      outcomes[result.status] = (outcomes[result.status] ?? 0) + 1
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error))
    }
  }),
)
await db.destroy()
process.stdout.write(JSON.stringify({ outcomes, errors }))
