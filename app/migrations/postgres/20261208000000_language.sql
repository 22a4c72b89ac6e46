-- The language a member chose for the interface ('fr' or 'en'); null: the browser's.
alter table member add column lang text;
