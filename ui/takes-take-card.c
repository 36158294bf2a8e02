/* takes-take-card.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-take-card"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-take-card.h"
#include "takes-take-details-dialog.h"
#include "takes-texture-loader.h"
#include "takes-generate-private.h"

/* Thumbnails are decoded at twice the card's size so they stay sharp on
 * HiDPI screens; the loader's cache keeps them across shot switches. */
#define THUMBNAIL_WIDTH  576
#define THUMBNAIL_HEIGHT 324
#define N_STARS          5
/* What a card asks for; the gallery spreads spare width over a row. */
#define CARD_WIDTH       288

struct _TakesTakeCard
{
  AdwBin           parent_instance;

  /* template widgets */
  GtkWidget       *card_box;
  GtkWidget       *media_overlay;
  GtkWidget       *media_frame;
  GtkStack        *media_stack;
  GtkSpinner      *spinner;
  GtkImage        *state_image;
  GtkPicture      *thumbnail_picture;
  GtkPicture      *video_picture;
  GtkWidget       *picked_badge;
  GtkLabel        *length_badge;
  GtkButton       *play_button;
  GtkToggleButton *select_check;
  GtkProgressBar  *progress_bar;
  GtkLabel        *title_label;
  GtkLabel        *state_label;
  GtkLabel        *backend_label;
  GtkWidget       *details_button;
  GtkWidget       *delete_button;
  GtkLabel        *facts_label;
  GtkLabel        *error_label;
  GtkWidget       *unknown_label;
  GtkWidget       *unknown_box;
  GtkWidget       *check_again_button;
  GtkWidget       *submit_anyway_button;
  GtkWidget       *rating_box;
  GtkWidget       *cancel_button;
  GtkWidget       *retry_button;
  GtkWidget       *pick_button;
  GtkToggleButton *stars[N_STARS];

  /* owned */
  TakesTake       *take;
  TakesShot       *shot;
  TakesHistory    *history;
  TakesJobEngine  *engine;
  GCancellable    *thumbnail_cancellable;
  char            *thumbnail_path;
  GtkMediaStream  *media;
  char            *action_error;

  guint            number;
  guint            updating_rating : 1;
  guint            hovered : 1;
  guint            selected : 1;
  guint            updating_selected : 1;
};

enum {
  PROP_0,
  PROP_TAKE,
  PROP_NUMBER,
  PROP_PLAYING,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Only one card plays at a time, so at most one clip is decoded. */
static TakesTakeCard *playing_card;

G_DEFINE_FINAL_TYPE (TakesTakeCard, takes_take_card, ADW_TYPE_BIN)

/* ------------------------------------------------------------------ */
/* Facts                                                              */

static TakesProject *
get_project (TakesTakeCard *self)
{
  if (self->history != NULL)
    return takes_history_get_project (self->history);
  if (self->engine != NULL)
    return takes_job_engine_get_project (self->engine);
  return NULL;
}

static TakesBackend *
lookup_backend (TakesTakeCard *self)
{
  return _takes_ui_lookup_backend (self->engine, takes_take_get_backend (self->take));
}

static gboolean
is_picked (TakesTakeCard *self)
{
  const char *picked;

  if (self->shot == NULL)
    return FALSE;

  picked = takes_shot_get_picked_take_id (self->shot);

  return picked != NULL && g_strcmp0 (picked, takes_take_get_id (self->take)) == 0;
}

static GFile *
resolve (TakesTakeCard *self,
         const char    *path)
{
  TakesProject *project = get_project (self);

  if (path == NULL || path[0] == '\0' || project == NULL)
    return NULL;

  return takes_project_resolve (project, path);
}

/* ------------------------------------------------------------------ */
/* Model to widgets                                                   */

static void
update_accessible_label (TakesTakeCard *self)
{
  TakesTakeState state = takes_take_get_state (self->take);
  g_autofree char *backend = _takes_ui_dup_backend_name (self->engine,
                                                         takes_take_get_backend (self->take));
  g_autofree char *label = NULL;

  if (state == TAKES_TAKE_READY && takes_take_get_duration (self->take) > 0)
    /* Translators: what a screen reader says for a take card:
     * "Take 2, Animatic, Ready, 5.0 seconds" */
    label = g_strdup_printf (_("Take %u, %s, %s, %.1f seconds"),
                             self->number,
                             backend,
                             takes_take_state_get_label (state),
                             takes_take_get_duration (self->take));
  else if (takes_take_state_is_in_flight (state) &&
           takes_take_get_progress (self->take) > 0)
    /* Translators: "Take 1, Animatic, Generating, 40 percent" */
    label = g_strdup_printf (_("Take %u, %s, %s, %d percent"),
                             self->number,
                             backend,
                             takes_take_state_get_label (state),
                             (int) (takes_take_get_progress (self->take) * 100 + 0.5));
  else
    /* Translators: "Take 3, Animatic, Failed" */
    label = g_strdup_printf (_("Take %u, %s, %s"),
                             self->number,
                             backend,
                             takes_take_state_get_label (state));

  if (is_picked (self))
    {
      /* Translators: appended to a take card's spoken name */
      g_autofree char *picked = g_strdup_printf (_("%s, picked"), label);

      g_free (label);
      label = g_steal_pointer (&picked);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
update_title (TakesTakeCard *self)
{
  g_autofree char *title = g_strdup_printf (_("Take %u"), self->number);
  /* Translators: the accessible name of a take card's selection check */
  g_autofree char *select = g_strdup_printf (_("Select Take %u"), self->number);

  gtk_label_set_text (self->title_label, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->select_check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, select,
                                  -1);
  update_accessible_label (self);
}

static void
update_backend (TakesTakeCard *self)
{
  g_autofree char *name = _takes_ui_dup_backend_name (self->engine,
                                                      takes_take_get_backend (self->take));
  g_autofree char *model = _takes_ui_dup_model_label (lookup_backend (self),
                                                      takes_take_get_model (self->take));
  g_autofree char *text = NULL;

  if (model != NULL && g_strcmp0 (model, name) != 0)
    /* Translators: backend and model on a take card, "Kling · kling-v2" */
    text = g_strdup_printf (C_("backend and model", "%s · %s"), name, model);
  else
    text = g_steal_pointer (&name);

  gtk_label_set_text (self->backend_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->backend_label), text);
}

static const char *
state_style (TakesTakeState state)
{
  switch (state)
    {
    case TAKES_TAKE_READY:
      return "success";
    case TAKES_TAKE_FAILED:
      return "error";
    case TAKES_TAKE_UNKNOWN:
      return "warning";
    case TAKES_TAKE_CANCELED:
    case TAKES_TAKE_DRAFT:
      return "neutral";
    case TAKES_TAKE_SUBMITTING:
    case TAKES_TAKE_QUEUED:
    case TAKES_TAKE_RUNNING:
    case TAKES_TAKE_DOWNLOADING:
    default:
      return "accent";
    }
}

static void
update_facts (TakesTakeCard *self)
{
  TakesTakeState state = takes_take_get_state (self->take);
  double duration = takes_take_get_duration (self->take);
  int width = takes_take_get_width (self->take);
  int height = takes_take_get_height (self->take);
  double cost = takes_take_get_cost_actual (self->take);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *length = NULL;

  if (cost < 0)
    cost = takes_take_get_cost_estimate (self->take);

  if (duration > 0)
    length = _takes_ui_format_seconds (duration);

  if (state == TAKES_TAKE_READY)
    {
      if (length != NULL)
        g_ptr_array_add (parts, g_strdup (length));
      if (width > 0 && height > 0)
        /* Translators: a frame size in pixels, "1280×720" */
        g_ptr_array_add (parts, g_strdup_printf (C_("frame size", "%d×%d"), width, height));
    }

  if (cost >= 0)
    g_ptr_array_add (parts, _takes_ui_format_cost (cost));
  else if (state == TAKES_TAKE_READY)
    g_ptr_array_add (parts, g_strdup (_("cost unknown")));

  g_ptr_array_add (parts, NULL);

  if (parts->len > 1)
    {
      /* Translators: the separator between facts on a take card */
      g_autofree char *text = g_strjoinv (C_("facts separator", " · "), (char **) parts->pdata);

      gtk_label_set_text (self->facts_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->facts_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->facts_label), FALSE);

  gtk_label_set_text (self->length_badge, length != NULL ? length : "");
  gtk_widget_set_visible (GTK_WIDGET (self->length_badge),
                          state == TAKES_TAKE_READY && length != NULL);
}

static void
update_progress (TakesTakeCard *self)
{
  TakesTakeState state = takes_take_get_state (self->take);
  double progress = takes_take_get_progress (self->take);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar),
                          takes_take_state_is_in_flight (state) && state != TAKES_TAKE_DRAFT);
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (progress, 0.0, 1.0));
}

static void
update_error (TakesTakeCard *self)
{
  TakesTakeState state = takes_take_get_state (self->take);
  const char *message = self->action_error;

  if (message == NULL && (state == TAKES_TAKE_FAILED || state == TAKES_TAKE_UNKNOWN))
    message = takes_take_get_error (self->take);

  if (message == NULL && state == TAKES_TAKE_FAILED)
    message = _("The provider gave no reason.");

  /* An unknown outcome is a question, not a failure: the explanation
   * below it carries the warning. */
  if (state == TAKES_TAKE_UNKNOWN && self->action_error == NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->error_label), "error-message");
      gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->error_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error-message");
    }

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->error_label), message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL && message[0] != '\0');
}

static void
update_rating (TakesTakeCard *self)
{
  int rating = takes_take_get_rating (self->take);

  self->updating_rating = TRUE;
  for (guint i = 0; i < N_STARS; i++)
    {
      gboolean on = (int) i < rating;

      gtk_toggle_button_set_active (self->stars[i], on);
      gtk_button_set_icon_name (GTK_BUTTON (self->stars[i]),
                                on ? "starred-symbolic" : "non-starred-symbolic");
    }
  self->updating_rating = FALSE;
}

static void
update_actions (TakesTakeCard *self)
{
  TakesTakeState state = takes_take_get_state (self->take);
  gboolean in_flight = takes_take_state_is_in_flight (state) && state != TAKES_TAKE_DRAFT;
  gboolean ready = state == TAKES_TAKE_READY;
  gboolean retryable = state == TAKES_TAKE_FAILED || state == TAKES_TAKE_CANCELED;
  gboolean unknown = state == TAKES_TAKE_UNKNOWN;
  gboolean picked = is_picked (self);
  gboolean has_engine = self->engine != NULL;
  gboolean has_history = self->history != NULL && self->shot != NULL;
  g_autoptr(GFile) media = resolve (self, takes_take_get_media (self->take));

  gtk_widget_set_visible (self->cancel_button, in_flight);
  gtk_widget_set_visible (self->retry_button, retryable);
  gtk_widget_set_visible (self->unknown_label, unknown);
  gtk_widget_set_visible (self->unknown_box, unknown);
  gtk_widget_set_visible (self->pick_button, ready && !picked);
  gtk_widget_set_visible (self->rating_box, ready);
  /* A running take is stopped first; deleting it would leave work (and
   * perhaps costs) running for a take nobody can see. */
  gtk_widget_set_visible (self->delete_button, !in_flight);
  gtk_widget_set_visible (self->picked_badge, picked);
  gtk_widget_set_visible (GTK_WIDGET (self->play_button), ready && media != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->select_check), takes_take_card_get_selectable (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "take.cancel", in_flight && has_engine);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "take.retry", retryable && has_engine);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "take.check-again", unknown && has_engine);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "take.submit-anyway", unknown && has_engine);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "take.pick", ready && !picked && has_history);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "take.delete", !in_flight && has_history);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "take.rate", ready && has_history);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "take.play", ready && media != NULL);

  if (picked)
    gtk_widget_add_css_class (self->card_box, "picked");
  else
    gtk_widget_remove_css_class (self->card_box, "picked");
}

static void
show_placeholder (TakesTakeCard *self)
{
  TakesTakeState state = takes_take_get_state (self->take);
  gboolean in_flight = takes_take_state_is_in_flight (state) && state != TAKES_TAKE_DRAFT;
  const char *icon;

  switch (state)
    {
    case TAKES_TAKE_FAILED:
      icon = "dialog-error-symbolic";
      break;
    case TAKES_TAKE_CANCELED:
      icon = "action-unavailable-symbolic";
      break;
    case TAKES_TAKE_UNKNOWN:
      icon = "dialog-question-symbolic";
      break;
    default:
      icon = "camera-video-symbolic";
      break;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), in_flight);
  gtk_spinner_set_spinning (self->spinner, in_flight);
  gtk_widget_set_visible (GTK_WIDGET (self->state_image), !in_flight);
  gtk_image_set_from_icon_name (self->state_image, icon);

  if (self->media == NULL)
    gtk_stack_set_visible_child_name (self->media_stack, "waiting");
}

static void
thumbnail_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TakesTakeCard) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = _takes_texture_loader_load_finish (result, &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail for take %s: %s",
                 takes_take_get_id (self->take), error->message);
      return;
    }

  gtk_picture_set_paintable (self->thumbnail_picture, GDK_PAINTABLE (texture));
  if (self->media == NULL)
    gtk_stack_set_visible_child_name (self->media_stack, "thumbnail");
}

static void
update_thumbnail (TakesTakeCard *self)
{
  const char *path = takes_take_get_thumbnail (self->take);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  show_placeholder (self);

  /* State changes come often while a take runs; the picture only when
   * the thumbnail itself changes. */
  if (g_strcmp0 (path, self->thumbnail_path) == 0 &&
      gtk_picture_get_paintable (self->thumbnail_picture) != NULL)
    {
      if (self->media == NULL)
        gtk_stack_set_visible_child_name (self->media_stack, "thumbnail");
      return;
    }

  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);
  g_free (self->thumbnail_path);
  self->thumbnail_path = g_strdup (path);
  gtk_picture_set_paintable (self->thumbnail_picture, NULL);

  file = resolve (self, path);
  if (file == NULL)
    return;

  texture = _takes_texture_loader_lookup (file, THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (self->thumbnail_picture, GDK_PAINTABLE (texture));
      if (self->media == NULL)
        gtk_stack_set_visible_child_name (self->media_stack, "thumbnail");
      return;
    }

  self->thumbnail_cancellable = g_cancellable_new ();
  _takes_texture_loader_load_async (file,
                                    THUMBNAIL_WIDTH,
                                    THUMBNAIL_HEIGHT,
                                    self->thumbnail_cancellable,
                                    thumbnail_loaded_cb,
                                    g_object_ref (self));
}

static void
update_state (TakesTakeCard *self)
{
  TakesTakeState state = takes_take_get_state (self->take);
  static const char * const styles[] = { "success", "error", "warning", "neutral", "accent" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), styles[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), state_style (state));
  gtk_label_set_text (self->state_label, takes_take_state_get_label (state));

  /* A new state makes an old complaint about a button press stale. */
  g_clear_pointer (&self->action_error, g_free);

  if (state != TAKES_TAKE_READY)
    takes_take_card_stop (self);
  if (!takes_take_card_get_selectable (self))
    takes_take_card_set_selected (self, FALSE);

  update_progress (self);
  update_facts (self);
  update_error (self);
  update_actions (self);
  update_thumbnail (self);
  update_accessible_label (self);
}

static void
update_all (TakesTakeCard *self)
{
  update_title (self);
  update_backend (self);
  update_rating (self);
  update_state (self);
}

static void
on_take_notify (TakesTakeCard *self,
                GParamSpec    *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "progress"))
    {
      update_progress (self);
      update_accessible_label (self);
    }
  else if (g_str_equal (name, "rating"))
    update_rating (self);
  else if (g_str_equal (name, "backend") || g_str_equal (name, "model"))
    {
      update_backend (self);
      update_accessible_label (self);
    }
  else if (g_str_equal (name, "notes") || g_str_equal (name, "request"))
    ;
  else
    update_state (self);
}

static void
on_picked_changed (TakesTakeCard *self)
{
  update_actions (self);
  update_accessible_label (self);
}

/* ------------------------------------------------------------------ */
/* Playing                                                            */

static void
on_media_error (TakesTakeCard *self)
{
  const GError *error;

  if (self->media == NULL)
    return;

  error = gtk_media_stream_get_error (self->media);
  if (error == NULL)
    return;

  /* Without GTK's GStreamer media module (or with a clip it cannot
   * decode) the thumbnail stays: nothing to alarm anyone about. */
  g_debug ("Cannot play take %s: %s", takes_take_get_id (self->take), error->message);
  takes_take_card_stop (self);
}

static void
on_media_prepared (TakesTakeCard *self)
{
  if (self->media != NULL && gtk_media_stream_is_prepared (self->media))
    gtk_stack_set_visible_child_name (self->media_stack, "video");
}

void
takes_take_card_play (TakesTakeCard *self,
                      gboolean       muted)
{
  g_autoptr(GFile) file = NULL;
  GtkMediaStream *media;

  g_return_if_fail (TAKES_IS_TAKE_CARD (self));

  if (takes_take_get_state (self->take) != TAKES_TAKE_READY)
    return;

  if (self->media != NULL)
    {
      gtk_media_stream_set_muted (self->media, muted);
      gtk_media_stream_play (self->media);
      return;
    }

  file = resolve (self, takes_take_get_media (self->take));
  if (file == NULL)
    return;

  if (playing_card != NULL && playing_card != self)
    takes_take_card_stop (playing_card);

  media = gtk_media_file_new_for_file (file);
  if (gtk_media_stream_get_error (media) != NULL)
    {
      g_debug ("Cannot play take %s: %s",
               takes_take_get_id (self->take),
               gtk_media_stream_get_error (media)->message);
      g_object_unref (media);
      return;
    }

  self->media = media;
  gtk_media_stream_set_muted (media, muted);
  gtk_media_stream_set_loop (media, TRUE);
  g_signal_connect_object (media, "notify::error",
                           G_CALLBACK (on_media_error), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (media, "notify::prepared",
                           G_CALLBACK (on_media_prepared), self, G_CONNECT_SWAPPED);
  gtk_picture_set_paintable (self->video_picture, GDK_PAINTABLE (media));
  gtk_media_stream_play (media);

  playing_card = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &playing_card);

  gtk_button_set_icon_name (self->play_button, "media-playback-stop-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), _("Stop Playing"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Stop Playing"),
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

void
takes_take_card_stop (TakesTakeCard *self)
{
  g_return_if_fail (TAKES_IS_TAKE_CARD (self));

  if (self->media == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->media, self);
  gtk_media_stream_pause (self->media);
  gtk_picture_set_paintable (self->video_picture, NULL);
  g_clear_object (&self->media);

  if (playing_card == self)
    {
      g_object_remove_weak_pointer (G_OBJECT (self), (gpointer *) &playing_card);
      playing_card = NULL;
    }

  gtk_stack_set_visible_child_name (self->media_stack,
                                    gtk_picture_get_paintable (self->thumbnail_picture) != NULL
                                      ? "thumbnail" : "waiting");
  gtk_button_set_icon_name (self->play_button, "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), _("Play Take"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Play Take"),
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

gboolean
takes_take_card_get_playing (TakesTakeCard *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE_CARD (self), FALSE);

  return self->media != NULL;
}

static void
on_media_enter (TakesTakeCard *self)
{
  self->hovered = TRUE;
  takes_take_card_play (self, TRUE);
}

static void
on_media_leave (TakesTakeCard *self)
{
  self->hovered = FALSE;
  takes_take_card_stop (self);
}

/* Asks whoever shows takes for the card (the shot's player) to play
 * it; TRUE when someone did. */
static gboolean
emit_activate (TakesTakeCard *self)
{
  gboolean handled = FALSE;

  if (takes_take_get_state (self->take) != TAKES_TAKE_READY ||
      takes_take_get_media (self->take) == NULL)
    return FALSE;

  g_signal_emit (self, signals[ACTIVATE], 0, &handled);

  return handled;
}

static void
on_media_clicked (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  TakesTakeCard   *self)
{
  if (emit_activate (self))
    {
      takes_take_card_stop (self);
      return;
    }

  /* On its own, the card plays: a click on a clip playing muted (hover)
   * gives it its sound; another click stops it. */
  if (self->media != NULL && gtk_media_stream_get_muted (self->media))
    {
      gtk_media_stream_seek (self->media, 0);
      gtk_media_stream_set_muted (self->media, FALSE);
    }
  else if (self->media != NULL)
    takes_take_card_stop (self);
  else
    takes_take_card_play (self, FALSE);
}

/* ------------------------------------------------------------------ */
/* Actions                                                            */

static void
set_action_error (TakesTakeCard *self,
                  const GError  *error)
{
  g_free (self->action_error);
  self->action_error = g_strdup (error != NULL ? error->message : NULL);
  update_error (self);
}

static void
take_cancel (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TakesTakeCard *self = TAKES_TAKE_CARD (widget);

  if (self->engine != NULL)
    takes_job_engine_cancel (self->engine, self->take);
}

static void
take_retry (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  TakesTakeCard *self = TAKES_TAKE_CARD (widget);
  g_autoptr(GError) error = NULL;

  if (self->engine != NULL && !takes_job_engine_retry (self->engine, self->take, &error))
    set_action_error (self, error);
}

static void
take_check_again (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TakesTakeCard *self = TAKES_TAKE_CARD (widget);

  if (self->engine != NULL)
    takes_job_engine_check_again (self->engine, self->take);
}

static void
take_submit_anyway (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TakesTakeCard *self = TAKES_TAKE_CARD (widget);
  g_autoptr(GError) error = NULL;

  if (self->engine != NULL &&
      !takes_job_engine_submit_anyway (self->engine, self->take, &error))
    set_action_error (self, error);
}

static void
take_pick (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  TakesTakeCard *self = TAKES_TAKE_CARD (widget);

  if (self->history == NULL || self->shot == NULL)
    return;

  takes_history_break_coalescing (self->history);
  takes_history_set_string (self->history, self->shot, "picked-take-id",
                            takes_take_get_id (self->take));
  takes_history_break_coalescing (self->history);
}

static void
take_delete (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TakesTakeCard *self = TAKES_TAKE_CARD (widget);

  if (self->history == NULL || self->shot == NULL)
    return;

  takes_take_card_stop (self);
  /* The media file stays on disk: undo brings the take back whole. */
  takes_history_remove_take (self->history, self->shot, self->take);
}

static void
take_details (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TakesTakeCard *self = TAKES_TAKE_CARD (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  dialog = takes_take_details_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                          self->take,
                                          get_project (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
take_play (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  TakesTakeCard *self = TAKES_TAKE_CARD (widget);

  if (emit_activate (self))
    {
      takes_take_card_stop (self);
      return;
    }

  if (self->media != NULL && !gtk_media_stream_get_muted (self->media))
    takes_take_card_stop (self);
  else
    takes_take_card_play (self, FALSE);
}

static void
take_rate (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  TakesTakeCard *self = TAKES_TAKE_CARD (widget);
  g_auto(GValue) value = G_VALUE_INIT;
  int rating = g_variant_get_int32 (parameter);

  if (self->history == NULL)
    return;

  rating = CLAMP (rating, 0, N_STARS);
  if (rating == takes_take_get_rating (self->take))
    return;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, rating);
  takes_history_break_coalescing (self->history);
  takes_history_set (self->history, self->take, "rating", &value);
  takes_history_break_coalescing (self->history);
}

static void
on_star_toggled (TakesTakeCard   *self,
                 GtkToggleButton *star)
{
  int n = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (star), "star"));
  int rating;

  if (self->updating_rating)
    return;

  /* The star of the current rating takes the rating away again. */
  rating = takes_take_get_rating (self->take) == n ? 0 : n;
  gtk_widget_activate_action (GTK_WIDGET (self), "take.rate", "i", rating);
  update_rating (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

TakesTake *
takes_take_card_get_take (TakesTakeCard *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE_CARD (self), NULL);

  return self->take;
}

void
takes_take_card_set_context (TakesTakeCard  *self,
                             TakesShot      *shot,
                             TakesHistory   *history,
                             TakesJobEngine *engine)
{
  g_return_if_fail (TAKES_IS_TAKE_CARD (self));

  if (self->shot != NULL)
    g_signal_handlers_disconnect_by_data (self->shot, self);

  g_set_object (&self->shot, shot);
  g_set_object (&self->history, history);
  g_set_object (&self->engine, engine);

  if (shot != NULL)
    g_signal_connect_object (shot, "notify::picked-take-id",
                             G_CALLBACK (on_picked_changed), self, G_CONNECT_SWAPPED);

  if (self->take != NULL)
    update_all (self);
}

guint
takes_take_card_get_number (TakesTakeCard *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE_CARD (self), 0);

  return self->number;
}

void
takes_take_card_set_number (TakesTakeCard *self,
                            guint          number)
{
  g_return_if_fail (TAKES_IS_TAKE_CARD (self));

  if (self->number == number)
    return;

  self->number = number;
  if (self->take != NULL)
    update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
}

gboolean
takes_take_card_get_selectable (TakesTakeCard *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE_CARD (self), FALSE);

  return self->take != NULL &&
         takes_take_get_state (self->take) == TAKES_TAKE_READY &&
         takes_take_get_media (self->take) != NULL;
}

gboolean
takes_take_card_get_selected (TakesTakeCard *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE_CARD (self), FALSE);

  return self->selected;
}

void
takes_take_card_set_selected (TakesTakeCard *self,
                              gboolean       selected)
{
  g_return_if_fail (TAKES_IS_TAKE_CARD (self));

  selected = !!selected && takes_take_card_get_selectable (self);

  if (self->selected == selected)
    {
      /* A refused tick (not selectable) must not stay ticked. */
      if (gtk_toggle_button_get_active (self->select_check) != selected)
        {
          self->updating_selected = TRUE;
          gtk_toggle_button_set_active (self->select_check, selected);
          self->updating_selected = FALSE;
        }
      return;
    }

  self->selected = selected;

  self->updating_selected = TRUE;
  gtk_toggle_button_set_active (self->select_check, selected);
  self->updating_selected = FALSE;

  if (selected)
    gtk_widget_add_css_class (self->card_box, "selected");
  else
    gtk_widget_remove_css_class (self->card_box, "selected");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
on_select_toggled (TakesTakeCard *self)
{
  if (self->updating_selected)
    return;

  takes_take_card_set_selected (self, gtk_toggle_button_get_active (self->select_check));
}

static void
on_card_pressed (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 TakesTakeCard   *self)
{
  GdkModifierType state;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  if ((state & GDK_CONTROL_MASK) == 0 || !takes_take_card_get_selectable (self))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  /* Ctrl+click selects, as in a file manager, wherever on the card. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  takes_take_card_set_selected (self, !self->selected);
}

static void
set_take (TakesTakeCard *self,
          TakesTake     *take)
{
  g_assert (self->take == NULL);

  if (take == NULL)
    return;

  self->take = g_object_ref (take);
  g_signal_connect_object (take, "notify",
                           G_CALLBACK (on_take_notify), self, G_CONNECT_SWAPPED);
  update_all (self);
}

/* ------------------------------------------------------------------ */
/* Class                                                              */

static void
takes_take_card_unmap (GtkWidget *widget)
{
  TakesTakeCard *self = TAKES_TAKE_CARD (widget);

  /* Never decode what nobody can see. */
  takes_take_card_stop (self);
  gtk_spinner_set_spinning (self->spinner, FALSE);

  GTK_WIDGET_CLASS (takes_take_card_parent_class)->unmap (widget);
}

static void
takes_take_card_map (GtkWidget *widget)
{
  TakesTakeCard *self = TAKES_TAKE_CARD (widget);

  GTK_WIDGET_CLASS (takes_take_card_parent_class)->map (widget);

  if (self->take != NULL)
    show_placeholder (self);
}

static void
card_layout_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  *minimum = *natural = 0;
  if (child == NULL || !gtk_widget_should_layout (child))
    return;

  gtk_widget_measure (child, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);

  /* A thumbnail's natural width is its pixel width; left alone, one card
   * would fill a whole row of the gallery. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (*minimum, CARD_WIDTH);
}

static void
card_layout_allocate (GtkWidget *widget,
                      int        width,
                      int        height,
                      int        baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

/* The picture area is always 16:9 of the card's width, whatever it shows
 * (spinner, thumbnail or clip), so cards in a row line up. */
static void
media_layout_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);
  int child_min = 0, child_nat = 0;

  if (child != NULL)
    gtk_widget_measure (child, orientation,
                        orientation == GTK_ORIENTATION_VERTICAL ? for_size : -1,
                        &child_min, &child_nat, NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = child_min;
      *natural = MAX (child_min, CARD_WIDTH);
    }
  else
    {
      int width = for_size > 0 ? for_size : CARD_WIDTH;

      *minimum = *natural = MAX (child_min, width * 9 / 16);
    }
}

static void
media_layout_allocate (GtkWidget *widget,
                       int        width,
                       int        height,
                       int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, -1, NULL);
}

static void
takes_take_card_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TakesTakeCard *self = TAKES_TAKE_CARD (object);

  switch (prop_id)
    {
    case PROP_TAKE:
      g_value_set_object (value, self->take);
      break;
    case PROP_NUMBER:
      g_value_set_uint (value, self->number);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->media != NULL);
      break;
    case PROP_SELECTED:
      g_value_set_boolean (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_take_card_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TakesTakeCard *self = TAKES_TAKE_CARD (object);

  switch (prop_id)
    {
    case PROP_TAKE:
      set_take (self, g_value_get_object (value));
      break;
    case PROP_NUMBER:
      takes_take_card_set_number (self, g_value_get_uint (value));
      break;
    case PROP_SELECTED:
      takes_take_card_set_selected (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_take_card_dispose (GObject *object)
{
  TakesTakeCard *self = (TakesTakeCard *)object;

  if (self->media != NULL)
    takes_take_card_stop (self);
  g_cancellable_cancel (self->thumbnail_cancellable);
  if (self->shot != NULL)
    g_signal_handlers_disconnect_by_data (self->shot, self);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TAKES_TYPE_TAKE_CARD);

  g_clear_object (&self->take);
  g_clear_object (&self->shot);
  g_clear_object (&self->history);
  g_clear_object (&self->engine);
  g_clear_object (&self->thumbnail_cancellable);

  G_OBJECT_CLASS (takes_take_card_parent_class)->dispose (object);
}

static void
takes_take_card_finalize (GObject *object)
{
  TakesTakeCard *self = (TakesTakeCard *)object;

  g_free (self->thumbnail_path);
  g_free (self->action_error);

  G_OBJECT_CLASS (takes_take_card_parent_class)->finalize (object);
}

static void
takes_take_card_class_init (TakesTakeCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = takes_take_card_get_property;
  object_class->set_property = takes_take_card_set_property;
  object_class->dispose = takes_take_card_dispose;
  object_class->finalize = takes_take_card_finalize;

  widget_class->map = takes_take_card_map;
  widget_class->unmap = takes_take_card_unmap;

  properties[PROP_TAKE] =
    g_param_spec_object ("take", NULL, NULL,
                         TAKES_TYPE_TAKE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NUMBER] =
    g_param_spec_uint ("number", NULL, NULL,
                       0, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_boolean ("selected", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TakesTakeCard::activate:
   *
   * The person asked to watch the take (Play, or a click on its
   * picture). A handler that shows it elsewhere returns TRUE; when none
   * does, the card plays the take itself.
   */
  signals[ACTIVATE] =
    g_signal_new ("activate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  g_signal_accumulator_true_handled, NULL,
                  NULL,
                  G_TYPE_BOOLEAN, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-take-card.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, card_box);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, media_overlay);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, media_frame);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, media_stack);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, spinner);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, state_image);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, thumbnail_picture);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, video_picture);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, picked_badge);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, length_badge);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, play_button);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, select_check);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, state_label);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, backend_label);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, details_button);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, delete_button);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, facts_label);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, error_label);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, unknown_label);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, unknown_box);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, check_again_button);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, submit_anyway_button);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, rating_box);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, retry_button);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeCard, pick_button);

  gtk_widget_class_install_action (widget_class, "take.cancel", NULL, take_cancel);
  gtk_widget_class_install_action (widget_class, "take.retry", NULL, take_retry);
  gtk_widget_class_install_action (widget_class, "take.check-again", NULL, take_check_again);
  gtk_widget_class_install_action (widget_class, "take.submit-anyway", NULL, take_submit_anyway);
  gtk_widget_class_install_action (widget_class, "take.pick", NULL, take_pick);
  gtk_widget_class_install_action (widget_class, "take.delete", NULL, take_delete);
  gtk_widget_class_install_action (widget_class, "take.details", NULL, take_details);
  gtk_widget_class_install_action (widget_class, "take.play", NULL, take_play);
  gtk_widget_class_install_action (widget_class, "take.rate", "i", take_rate);

  gtk_widget_class_set_css_name (widget_class, "takecard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
takes_take_card_init (TakesTakeCard *self)
{
  GtkEventController *motion;
  GtkGesture *click;

  _takes_ui_ensure_generate_css ();
  gtk_widget_set_layout_manager (GTK_WIDGET (self),
                                 gtk_custom_layout_new (NULL,
                                                        card_layout_measure,
                                                        card_layout_allocate));
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (self->media_frame,
                                 gtk_custom_layout_new (NULL,
                                                        media_layout_measure,
                                                        media_layout_allocate));
  self->number = 1;

  for (guint i = 0; i < N_STARS; i++)
    {
      GtkWidget *star = gtk_toggle_button_new ();
      g_autofree char *label = NULL;

      /* Translators: the accessible name of the n-th rating star */
      label = g_strdup_printf (ngettext ("Rate %u star", "Rate %u stars", i + 1), i + 1);
      gtk_button_set_icon_name (GTK_BUTTON (star), "non-starred-symbolic");
      gtk_widget_set_tooltip_text (star, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (star),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
      gtk_widget_add_css_class (star, "flat");
      gtk_widget_add_css_class (star, "star");
      g_object_set_data (G_OBJECT (star), "star", GINT_TO_POINTER (i + 1));
      g_signal_connect_object (star, "toggled",
                               G_CALLBACK (on_star_toggled), self, G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (self->rating_box), star);
      self->stars[i] = GTK_TOGGLE_BUTTON (star);
    }

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "enter",
                           G_CALLBACK (on_media_enter), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave",
                           G_CALLBACK (on_media_leave), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->media_overlay, motion);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_media_clicked), self);
  gtk_widget_add_controller (GTK_WIDGET (self->media_stack), GTK_EVENT_CONTROLLER (click));

  /* Before the buttons inside see the press, so Ctrl+click on Pick
   * selects the card instead. */
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_card_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect_object (self->select_check, "toggled",
                           G_CALLBACK (on_select_toggled), self, G_CONNECT_SWAPPED);
}

GtkWidget *
takes_take_card_new (TakesTake *take)
{
  g_return_val_if_fail (TAKES_IS_TAKE (take), NULL);

  return g_object_new (TAKES_TYPE_TAKE_CARD, "take", take, NULL);
}
