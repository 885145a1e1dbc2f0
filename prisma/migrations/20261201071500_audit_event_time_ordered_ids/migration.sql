-- Version 7 UUIDs (RFC 9562): the first 48 bits are the Unix time in milliseconds, so ids written
-- one after another land next to each other in a B-tree instead of anywhere in it. Audit events
-- written inside larger statements take their id from here (Prisma writes version 7 too), and a
-- 100,000-row refresh writes 100,000 of them. Postgres 18 has uuidv7(), this works on any version.
-- A random (version 4) UUID gets the time in its first 6 bytes, and its version bits 0100 become
-- 0111: its variant bits stay 10. The body is a plain string, as the WebAssembly migrator's driver
-- splits a script at every semicolon, dollar quotes included.
CREATE FUNCTION "uuid_v7"() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS
  'SELECT encode(
     set_bit(set_bit(
       overlay(uuid_send(gen_random_uuid())
               PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
               FROM 1 FOR 6),
       52, 1), 53, 1),
     ''hex'')::uuid';
