/** The longest company name Conductor takes, in characters (code points, as zod counts them). */
export const COMPANY_NAME_MAX_LENGTH = 255;

/**
 * What the company-name input lets a browser send, in UTF-16 code units (as `maxLength` counts):
 * room for the longest name in characters outside the BMP (two units each) and its padding, yet
 * no pasted megabyte that the server would refuse as too large before it could name the field.
 */
export const COMPANY_NAME_INPUT_MAX_LENGTH = 1024;
