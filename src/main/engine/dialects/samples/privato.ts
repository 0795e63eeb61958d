/** Privato payload samples: its four documented shapes (License, Customer, Package, Release). */

export function pkg() {
  return {
    id: 318,
    name: 'Invoice Toolkit',
    slug: 'invoice-toolkit',
    description: 'PDF invoices and credit notes for Laravel apps.',
    repository: 'northwind/invoice-toolkit',
    composer_name: 'northwind/invoice-toolkit',
    created_at: '2025-09-14T08:21:03Z',
    updated_at: '2026-02-27T16:40:12Z',
  };
}

export function customer() {
  return {
    id: 5071,
    name: 'Lena Fischer',
    email: 'lena.fischer@example.com',
    marketing_consent: false,
    created_at: '2026-01-09T11:02:45Z',
    updated_at: '2026-01-09T11:02:45Z',
  };
}

export function license() {
  return {
    id: 9184,
    key: 'K7QF2M-XW9PLA-3TRB8C',
    short_key: 'K7QF2M',
    created_at: '2026-03-02T08:05:17Z',
    updated_at: '2026-03-02T08:05:17Z',
    package: pkg(),
    customer: customer(),
  };
}

export function release() {
  return {
    id: 2240,
    name: 'v3.2.0',
    body: 'Adds Swiss QR-bill support.',
    number_of_files: 148,
    size_in_bytes: 612_480,
    published_at: '2026-03-02T08:16:40Z',
    created_at: '2026-03-02T08:15:55Z',
    updated_at: '2026-03-02T08:16:40Z',
    package: pkg(),
  };
}
