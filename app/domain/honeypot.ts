// A field people never see: bots that fill in every box fill this one too, and are refused.
export const HONEYPOT_FIELD = 'website'
