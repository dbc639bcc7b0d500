-- A database as a worker of schema version 1 left it: two sessions (one finished, one running), their events and a run token.
CREATE TABLE sessions (id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, bytes INTEGER NOT NULL, info TEXT NOT NULL, manifest TEXT NOT NULL);
CREATE INDEX sessions_by_created ON sessions(created_at);
CREATE TABLE events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, terminal INTEGER NOT NULL,
  frame BLOB NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
CREATE TABLE run_tokens (hash TEXT PRIMARY KEY, session_id TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO sessions VALUES ('0b5e1c2a-5f0e-4c7e-9d1a-3f2b6c7d8e90', 'succeeded', 1764583200000000, 1764583260000000, 42,
  '{"session_id":"0b5e1c2a-5f0e-4c7e-9d1a-3f2b6c7d8e90","volume":"dataset-volume-0b5e1c2a-5f0e-4c7e-9d1a-3f2b6c7d8e90","status":"succeeded","context":{"name":"Old run","description":"from schema v1","tags":[],"parameters":{}},"files":1,"bytes":42,"created_at":"2025-12-01T10:00:00Z","updated_at":"2025-12-01T10:01:00Z"}',
  '[{"path":"a.csv","size":42,"sha256":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"}]');
INSERT INTO sessions VALUES ('7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e', 'running', 1764583300000000, 1764583300000000, 7,
  '{"session_id":"7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e","volume":"dataset-volume-7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e","status":"running","context":{"name":"Cut run","description":"running when v1 stopped","tags":[],"parameters":{}},"files":1,"bytes":7,"created_at":"2025-12-01T10:01:40Z","updated_at":"2025-12-01T10:01:40Z"}',
  '[{"path":"b.csv","size":7,"sha256":"ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"}]');
INSERT INTO events VALUES ('0b5e1c2a-5f0e-4c7e-9d1a-3f2b6c7d8e90', 1, 0, CAST('id: 1
event: status
data: {"type":"status","session_id":"0b5e1c2a-5f0e-4c7e-9d1a-3f2b6c7d8e90","seq":1,"time":"2025-12-01T10:00:00Z","status":"queued"}

' AS BLOB));
INSERT INTO events VALUES ('0b5e1c2a-5f0e-4c7e-9d1a-3f2b6c7d8e90', 2, 1, CAST('id: 2
event: status
data: {"type":"status","session_id":"0b5e1c2a-5f0e-4c7e-9d1a-3f2b6c7d8e90","seq":2,"time":"2025-12-01T10:01:00Z","status":"succeeded"}

' AS BLOB));
INSERT INTO run_tokens VALUES ('5d41402abc4b2a76b9719d911017c592aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e');
PRAGMA user_version = 1;
