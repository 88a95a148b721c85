// Hands the per-request CSP nonce from the server entry to the scripts the root renders.
import { createContext, useContext } from 'react'

export const NonceContext = createContext<string>('')
export const NonceProvider = NonceContext.Provider
export function useNonce(): string {
  return useContext(NonceContext)
}
