-- What an import should check although its rows may be taken (issue 13): the
-- file's warnings with codes the web app words (`former_zone`: points read in
-- a merged province's zone that lie in a former province whose zone had
-- another meridian).
alter table import_job add column warnings jsonb not null default '[]';
