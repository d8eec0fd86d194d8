-- The audit log is append-only (issue #8 §4; docs/security.md "Audit log"): the database itself
-- refuses to change or remove a row, whoever asks through an ordinary connection, the server's
-- own included. Applied in one transaction.

-- A user who appears in the log can no longer be deleted (disable them instead): SET NULL would
-- rewrite audit rows, which the trigger below refuses anyway; RESTRICT says so up front.
-- DropForeignKey
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_actor_id_fkey";

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Hand-written (docs/data-model.md): triggers Prisma's schema language cannot express.
-- One function for every refusal; TG_OP names the statement, so the message says what was tried.
CREATE FUNCTION "audit_events_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit events are never changed or removed; record a new event instead.';
END;
$$;

-- Row-level: fires for every UPDATE and DELETE, including those a foreign key action would make.
CREATE TRIGGER "audit_events_append_only"
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_refuse_change"();

-- TRUNCATE fires no row triggers: a statement trigger of its own.
CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_refuse_change"();
