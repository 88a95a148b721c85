/**
 * When a family with places held for its email address gets the Teams joining link: once it has
 * confirmed, or, where the team approves a new family's first booking, once the team has. Said
 * on the booking page and in the email that holds the places, in the same words.
 */
export function whenTheLinkIsSent(approvalFollows: boolean | undefined): string {
  return approvalFollows
    ? 'If this is your first booking with us, the team then checks it, and we send the Teams joining link once they have approved it.'
    : 'We send the Teams joining link once you have confirmed.'
}
