-- 0008_seal.sql: every free text of the categories clinical, health_shared,
-- employment and private is sealed at rest (issue 14, docs/security.md
-- "Sealed at rest"). A sealed value is nonce || secretbox (seal.h), in a BLOB
-- column; `ibbis rekey` rotates every BLOB column.
--
-- Columns that already existed take the sealed text from now on:
--   notes.body          health_shared and employment notes too (was body_plain)
--   assessments.body    the EC's employment assessment too (was body_plain)
--   agenda_items.body   every agenda item, shared ones too (was body_plain)
-- New columns:
--   meetings.minutes_sealed        the minutes of every meeting (was minutes)
--   evidence.text_sealed           the evidence text (was text)
--   assessments.reason_sealed      the EC's reason for the category (was reason)
--   survey_responses.comment_sealed  the pulse comment (was the answer 'text')
--   minutes_agreements.comment_sealed  a participant's comment on the minutes
--
-- SQL cannot encrypt (the key is outside the database): rows written before
-- this migration are sealed when the program next starts with the key
-- (seal_upgrade, domain/trust/seal_upgrade.c), which empties the old columns
-- and overwrites the freed space (secure_delete).
ALTER TABLE meetings ADD COLUMN minutes_sealed BLOB;
ALTER TABLE evidence ADD COLUMN text_sealed BLOB;
ALTER TABLE assessments ADD COLUMN reason_sealed BLOB;
ALTER TABLE survey_responses ADD COLUMN comment_sealed BLOB;
ALTER TABLE minutes_agreements ADD COLUMN comment_sealed BLOB;
