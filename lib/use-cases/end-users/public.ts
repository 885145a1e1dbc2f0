import { endUserSchema, type EndUser } from "@/lib/model/end-user";

/** The API's `EndUser` out of any richer row: the schema keeps exactly its own fields. */
export const publicEndUser = (row: EndUser): EndUser => endUserSchema.parse(row);
