-- Usage invoices (issue 20): the partner's tax rate, what an invoice applied of credit and at which rate it taxed,
-- why it was voided, and a gapless number per partner.
ALTER TABLE partners ADD COLUMN invoice_tax_bp integer NOT NULL DEFAULT 0 CHECK (invoice_tax_bp BETWEEN 0 AND 10000);

ALTER TABLE invoices
  ADD COLUMN credits_applied  bigint NOT NULL DEFAULT 0 CHECK (credits_applied >= 0),
  ADD COLUMN tax_bp           integer CHECK (tax_bp BETWEEN 0 AND 10000),
  ADD COLUMN void_reason      text,
  ADD COLUMN created_by       text;

-- invoice_counters: the last usage invoice number of each partner; taken under the row's lock in the transaction that
-- writes the invoice, so numbers have no gaps and no repeats.
CREATE TABLE invoice_counters (
  partner_id   uuid PRIMARY KEY REFERENCES partners (id) ON DELETE CASCADE,
  last_number  bigint NOT NULL DEFAULT 0 CHECK (last_number >= 0)
);

CREATE INDEX invoices_period ON invoices (period_start, subject_id) WHERE source = 'usage';
