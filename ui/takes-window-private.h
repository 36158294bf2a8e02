/* takes-window-private.h
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "takes-autosave.h"
#include "takes-job-engine.h"
#include "takes-welcome-page.h"
#include "takes-window.h"

G_BEGIN_DECLS

/* What to do once the "Save Changes?" question is settled */
typedef enum
{
  TAKES_WINDOW_PENDING_NONE,
  TAKES_WINDOW_PENDING_CLOSE_WINDOW,
  TAKES_WINDOW_PENDING_CLOSE_PROJECT,
} TakesWindowPending;

struct _TakesWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  TakesWelcomePage     *welcome_page;
  GtkPaned             *paned;
  GtkWidget            *undo_button;
  GtkWidget            *redo_button;
  GtkWidget            *save_button;
  GtkWidget            *edit_box;
  GtkPaned             *cut_paned;
  GtkWidget            *export_button;

  /* owned */
  TakesProject         *project;
  TakesHistory         *history;
  TakesAutosave        *autosave;
  TakesJobEngine       *engine;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  GtkWidget            *shot_list;
  GtkWidget            *shot_editor;
  GtkWidget            *cost_label;
  GtkWidget            *cut_pane;

  /* borrowed: weak pointer, while Save As copies media */
  AdwToast             *copy_toast;

  TakesWindowPending    pending;
  guint                 busy : 1;
  guint                 closing : 1;
};

void     _takes_window_class_actions_init (TakesWindowClass *klass);
void     _takes_window_set_project        (TakesWindow      *self,
                                           TakesProject     *project);
void     _takes_window_update_actions     (TakesWindow      *self);
void     _takes_window_update_title       (TakesWindow      *self);
void     _takes_window_show_error         (TakesWindow      *self,
                                           const char       *heading,
                                           const char       *message);
gboolean _takes_window_save               (TakesWindow      *self);
void     _takes_window_save_as            (TakesWindow      *self);
/* Asks "Save Changes?" when needed, then does @pending */
void     _takes_window_settle_then        (TakesWindow       *self,
                                           TakesWindowPending pending);
void     _takes_window_do_pending         (TakesWindow      *self);
void     _takes_window_update_autosave    (TakesWindow      *self);

G_END_DECLS
