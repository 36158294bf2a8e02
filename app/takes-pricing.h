/* takes-pricing.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "takes-backend-registry.h"
#include "takes-project.h"

G_BEGIN_DECLS

#define TAKES_PRICING_ERROR (takes_pricing_error_quark ())

typedef enum
{
  TAKES_PRICING_ERROR_INVALID, /* not a price table, or a field is wrong */
} TakesPricingError;

GQuark takes_pricing_error_quark (void);

/* One row of the price table. @mode is NULL when the price does not
 * depend on it; @model "*" stands for every model the table does not
 * name. */
typedef struct
{
  const char *backend_id;
  const char *model;
  const char *mode;
  gboolean    per_second;      /* else per generation */
  double      published_price; /* USD, as shipped */
  double      price;           /* USD, with the person's override */
} TakesPriceEntry;

/* The price table shipped as a resource (data/pricing.json), with the
 * person's own prices laid over it ("price-overrides" in GSettings: keys
 * "backend/model/mode", "backend/model", "backend", and "backend/credit"
 * for the USD value of one provider credit or unit). Any override wins
 * over the table, the most specific one first.
 *
 * Signals: "changed" (void) after the overrides changed. */
#define TAKES_TYPE_PRICING (takes_pricing_get_type ())
G_DECLARE_FINAL_TYPE (TakesPricing, takes_pricing, TAKES, PRICING, GObject)

/* The shipped table. */
TakesPricing *takes_pricing_new                (void);
TakesPricing *takes_pricing_new_from_data      (const char      *data,
                                                gsize            length,
                                                GError         **error);
/* The process-wide table (the shipped one), created on first use. */
TakesPricing *takes_pricing_get_default        (void);

/* The day the shipped prices were gathered, "YYYY-MM-DD" */
const char   *takes_pricing_get_published      (TakesPricing    *self);
/* "Prices as published on 29 November 2026 …", translated */
char         *takes_pricing_dup_published_note (TakesPricing    *self);
/* The table's note for @backend_id, untranslated; NULL when none */
const char   *takes_pricing_get_backend_note   (TakesPricing    *self,
                                                const char      *backend_id);

/* a{sd}; NULL or an empty dictionary drops every override. */
void          takes_pricing_set_overrides      (TakesPricing    *self,
                                                GVariant        *overrides);
/* a{sd}, never NULL (floating reference) */
GVariant     *takes_pricing_get_overrides      (TakesPricing    *self);
/* Follows "price-overrides" of @settings from now on. */
void          takes_pricing_bind_settings      (TakesPricing    *self,
                                                GSettings       *settings);

/* USD for one take of @seconds; negative when no price is known.
 * @model NULL or "" means the table's "*" row; @mode NULL uses the row
 * without a mode, else the first mode listed for the model. */
double        takes_pricing_estimate           (TakesPricing    *self,
                                                const char      *backend_id,
                                                const char      *model,
                                                const char      *mode,
                                                double           seconds);
/* USD for @credits of the provider's own units; negative when unknown. */
double        takes_pricing_credits_to_usd     (TakesPricing    *self,
                                                const char      *backend_id,
                                                double           credits);
/* USD of one credit as shipped and as used; negative when the backend
 * has no credits. */
double        takes_pricing_get_credit_price   (TakesPricing    *self,
                                                const char      *backend_id,
                                                double          *published_price);

/* The rows, in table order (borrowed; valid until the next change). */
guint         takes_pricing_get_n_entries      (TakesPricing    *self);
gboolean      takes_pricing_get_entry          (TakesPricing    *self,
                                                guint            position,
                                                TakesPriceEntry *entry);
/* The override key of a row: "backend/model/mode" or "backend/model" */
char         *takes_price_entry_dup_key        (const TakesPriceEntry *entry);

/* Makes every backend of @registry (also those added later) estimate its
 * costs from this table and convert reported credits with it. */
void          takes_pricing_attach             (TakesPricing         *self,
                                                TakesBackendRegistry *registry);

/* What @project has spent or committed to: every take that is not a draft,
 * failed or canceled, at its actual cost where known, else its estimate.
 * @n_unknown (optional) counts takes with neither. */
double        takes_pricing_get_project_spending (TakesProject  *project,
                                                  guint         *n_unknown);

G_END_DECLS
