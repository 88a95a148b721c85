// The two forms of the Teams attendance import: the upload (a file) and the check page's save
// (a mark per child, and the report as read, carried back so nothing is kept on the server).
import { z } from 'zod'
import type { TeamsReportProblem } from './teams-attendance'

/** Teams reports are a few kilobytes (about 100 bytes a name): 1MB is far more than any session's. */
export const REPORT_MAX_BYTES = 1024 * 1024

export const REPORT_FIELD = 'report'

export const UPLOAD_MESSAGES = {
  missing: 'Select the attendance report from Teams',
  tooLarge: 'The selected file must be smaller than 1MB',
  unreadable: 'The selected file could not be uploaded – try again',
} as const

/** What the page says about a file that is not a report we can read (GOV.UK file upload wording). */
export const REPORT_PROBLEM_MESSAGES: Record<TeamsReportProblem, string> = {
  empty: 'The selected file is empty',
  spreadsheet:
    'The selected file is an Excel workbook. Upload the CSV file Teams downloads, or save the workbook as “CSV UTF-8”',
  'not-teams':
    'The selected file is not a Teams attendance report. In Teams, open the meeting’s Attendance tab and download the report',
  'no-names': 'The selected attendance report has nobody in it',
}

/** The upload form: one file, chosen (a browser sends an empty, unnamed part when none was). */
export const uploadSchema = z.object({
  [REPORT_FIELD]: z
    .custom<File>((value) => value instanceof File && (value.name !== '' || value.size > 0), {
      message: UPLOAD_MESSAGES.missing,
    })
    .refine((file) => file.size <= REPORT_MAX_BYTES, { message: UPLOAD_MESSAGES.tooLarge }),
})

/** The report as read, in the check page's hidden field: names, minutes and roles, nothing else. */
export const reportFieldSchema = z.object({
  layout: z.enum(['sections', 'join-leave-list']),
  meetingTitle: z.string().max(500).nullable(),
  meetingDates: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).max(2),
  attendees: z
    .array(
      z.object({
        name: z.string().min(1).max(300),
        seconds: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 3600)
          .nullable(),
        role: z.string().max(100).nullable(),
        joins: z.number().int().min(1).max(10_000),
      }),
    )
    .min(1)
    .max(2000),
})

export const MARK_FIELD = /^attended-(\d{1,12})$/

/**
 * The check page's save: each mark is one of the two answers (anything else refuses the whole
 * post, as the register does), the early-register confirmation, and the report read back.
 */
export const saveSchema = z.object({
  confirmEarly: z.literal('yes').optional(),
  report: z
    .string()
    .max(1_000_000)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'not JSON' })
        return z.NEVER
      }
    })
    .pipe(reportFieldSchema),
  marks: z.array(z.tuple([z.number().int().positive(), z.enum(['yes', 'no'])])).max(5000),
})

export type SavedReport = z.infer<typeof reportFieldSchema>
