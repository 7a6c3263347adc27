-- A progress file as version 1 of faq-assistant wrote it: no time taken per answer,
-- no record of overridden ratings. Loaded by test_training_store.py to test migration.
CREATE TABLE profiles (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);
CREATE TABLE cards (profile TEXT NOT NULL REFERENCES profiles(name), card_id TEXT NOT NULL,
                    card_json TEXT NOT NULL, due TEXT NOT NULL, PRIMARY KEY (profile, card_id));
CREATE TABLE reviews (id INTEGER PRIMARY KEY, profile TEXT NOT NULL REFERENCES profiles(name),
                      card_id TEXT NOT NULL, reviewed_at TEXT NOT NULL, rating INTEGER NOT NULL,
                      correct INTEGER NOT NULL, answer TEXT NOT NULL DEFAULT '');
INSERT INTO profiles VALUES ('kim', '2024-04-30T09:00:00.000000+00:00');
INSERT INTO cards VALUES ('kim', 'alpha/a1',
  '{"card_id": 1, "state": 2, "step": null, "stability": 3.2, "difficulty": 5.1, "due": "2024-05-04T09:00:00+00:00", "last_review": "2024-05-01T09:00:00+00:00"}',
  '2024-05-04T09:00:00.000000+00:00');
INSERT INTO cards VALUES ('kim', 'retired/item',
  '{"card_id": 2, "state": 1, "step": 0, "stability": 0.2, "difficulty": 7.0, "due": "2024-05-01T09:01:00+00:00", "last_review": "2024-05-01T09:00:00+00:00"}',
  '2024-05-01T09:01:00.000000+00:00');
INSERT INTO reviews (profile, card_id, reviewed_at, rating, correct, answer)
  VALUES ('kim', 'alpha/a1', '2024-04-30T09:00:00.000000+00:00', 1, 0, '3'),
         ('kim', 'alpha/a1', '2024-05-01T09:00:00.000000+00:00', 3, 1, '2'),
         ('kim', 'retired/item', '2024-05-01T09:00:00.000000+00:00', 1, 0, 'x');
PRAGMA user_version = 1;
