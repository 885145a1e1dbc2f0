/** What the product calls itself to people: page titles, emails, the API document. */
export const PRODUCT_NAME = "Conductor Onboarding";
