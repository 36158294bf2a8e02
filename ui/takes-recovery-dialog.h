/* takes-recovery-dialog.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TAKES_RECOVERY_RESPONSE_RECOVER "recover"
#define TAKES_RECOVERY_RESPONSE_DISCARD "discard"
#define TAKES_RECOVERY_RESPONSE_LATER   "later"

#define TAKES_TYPE_RECOVERY_DIALOG (takes_recovery_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TakesRecoveryDialog, takes_recovery_dialog, TAKES, RECOVERY_DIALOG, AdwMessageDialog)

/* "Recover Unsaved Work?" listing @recoveries (TakesRecovery items).
 * Responds "recover", "discard", or "later" when dismissed: dismissing
 * keeps the copies for the next start. */
GtkWidget  *takes_recovery_dialog_new            (GtkWindow           *parent,
                                                  GListModel          *recoveries);
GListModel *takes_recovery_dialog_get_recoveries (TakesRecoveryDialog *self);

G_END_DECLS
