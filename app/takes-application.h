/* takes-application.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TAKES_TYPE_APPLICATION (takes_application_get_type ())
G_DECLARE_FINAL_TYPE (TakesApplication, takes_application, TAKES, APPLICATION, AdwApplication)

TakesApplication *takes_application_new (void);

G_END_DECLS
