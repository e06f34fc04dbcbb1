/**
 * Six digits or more in a row (an ID number may end in X), as an ID, phone
 * or account number would be. Text a client chose (a client or operation
 * name, a request id) is kept only with such runs replaced by `###`, so that
 * an ID number sent as a name is kept nowhere: not in the audit trail, the
 * log or a trace.
 */
const NUMBER_RUN = /\d{6,}[Xx]?/g;

export function hideNumberRuns(text: string): string {
  return text.replace(NUMBER_RUN, '###');
}
