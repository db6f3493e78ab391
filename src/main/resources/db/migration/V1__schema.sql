-- Portable between H2 2.x and PostgreSQL: plain types, times as epoch milliseconds.

CREATE TABLE webhook (
    id                  VARCHAR(40)   NOT NULL PRIMARY KEY,
    url                 VARCHAR(2048) NOT NULL,
    events              VARCHAR(8000) NOT NULL,  -- JSON array, as given
    secret              VARCHAR(300)  NOT NULL,
    previous_secret     VARCHAR(300),
    previous_secret_until BIGINT,
    active              BOOLEAN       NOT NULL,
    name                VARCHAR(200),
    description         VARCHAR(2000),
    retry_policy        VARCHAR(100),
    retry_schedule      VARCHAR(1000),          -- comma separated durations
    signature           VARCHAR(1000) NOT NULL, -- JSON object
    payload_format      VARCHAR(40)   NOT NULL,
    event_type_header   VARCHAR(200),
    headers             VARCHAR(8000),          -- JSON object
    created_at          BIGINT        NOT NULL,
    updated_at          BIGINT        NOT NULL
);

-- One row per subscribed pattern, so fan-out is an indexed lookup:
-- exact type, '*', or a prefix pattern 'a.b.*'.
CREATE TABLE webhook_subscription (
    webhook_id VARCHAR(40)  NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
    pattern    VARCHAR(200) NOT NULL,
    PRIMARY KEY (webhook_id, pattern)
);
CREATE INDEX webhook_subscription_pattern ON webhook_subscription (pattern);

CREATE TABLE event (
    id          VARCHAR(100) NOT NULL PRIMARY KEY,
    type        VARCHAR(200) NOT NULL,
    created_at  BIGINT       NOT NULL,
    data        VARCHAR      NOT NULL,  -- compact JSON object
    received_at BIGINT       NOT NULL
);

CREATE TABLE delivery (
    id              VARCHAR(40)  NOT NULL PRIMARY KEY,
    event_id        VARCHAR(100) NOT NULL REFERENCES event (id),
    webhook_id      VARCHAR(40)  NOT NULL,
    status          VARCHAR(16)  NOT NULL,  -- pending | success | failed
    attempts        INT          NOT NULL,
    status_code     INT,
    error           VARCHAR(2000),
    next_attempt_at BIGINT,
    -- Ownership: an instance works on a row only while it holds the lease token.
    lease_token     VARCHAR(40),
    lease_until     BIGINT,
    delivered_at    BIGINT,
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL
);
CREATE INDEX delivery_due ON delivery (status, next_attempt_at);
CREATE INDEX delivery_webhook ON delivery (webhook_id, id);
CREATE INDEX delivery_event ON delivery (event_id);

CREATE TABLE delivery_attempt (
    delivery_id      VARCHAR(40) NOT NULL REFERENCES delivery (id),
    attempt          INT         NOT NULL,
    trigger_kind     VARCHAR(16) NOT NULL,  -- scheduled | manual | recover | test
    started_at       BIGINT      NOT NULL,
    duration_ms      BIGINT      NOT NULL,
    url              VARCHAR(2048) NOT NULL,
    request_headers  VARCHAR     NOT NULL,  -- JSON object
    request_body     VARCHAR     NOT NULL,
    response_status  INT,
    response_headers VARCHAR,               -- JSON object
    response_body    VARCHAR,
    error            VARCHAR(2000),
    PRIMARY KEY (delivery_id, attempt)
);
