/* takes-compare-view.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-compare-view"

#include "config.h"

#include <math.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "takes-backend-registry.h"
#include "takes-compare-view.h"
#include "takes-timeline.h"         /* ges_init(), with GES's headers tamed */
#include "takes-transport-bar.h"
#include "takes-video-sink.h"
#include "takes-wipe-view.h"

#define N_STARS 5

typedef struct
{
  TakesCompareView *view;       /* borrowed */
  guint index;
  TakesTake *take;              /* owned */

  GtkWidget *root;
  GtkWidget *picture;
  GtkWidget *speaker;
  GtkWidget *title_label;
  GtkWidget *details_label;
  GtkWidget *sound_button;
  GtkWidget *stars[N_STARS];
  GtkWidget *pick_button;

  guint64 painted_mark;         /* frames painted when playing was prepared */

  TakesVideoSink *sink;         /* owned; NULL without a picture */
  GstClockTime held_pts;        /* the frame waiting to be shown with the others */
} Cell;

struct _TakesCompareView
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkWidget *box;
  GtkToggleButton *blind_button;
  GtkToggleButton *wipe_button;
  GtkLabel *hint_label;
  GtkStack *stack;
  GtkGrid *grid;
  TakesWipeView *wipe;
  GtkLabel *wipe_label_a;
  GtkLabel *wipe_label_b;
  TakesTransportBar *transport;

  /* owned */
  TakesPlayer *player;
  TakesProject *project;
  TakesShot *shot;
  TakesHistory *history;
  GPtrArray *cells;             /* Cell */

  gboolean revealed;
  guint start_tick;             /* tick callback id while waiting to play */
  gint64 start_deadline;        /* frame time after which it goes on anyway */
  gint64 start_given_up;        /* frame time after which it stops waiting */
  gboolean start_prepared;      /* the seek that resizes the frames is sent */

  gboolean together;            /* the pictures change frame together */
  GstClockTime frame_duration;
  guint release_id;             /* shows a late group anyway */
};

G_DEFINE_FINAL_TYPE (TakesCompareView, takes_compare_view, GTK_TYPE_WIDGET)

enum {
  PICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
cell_free (gpointer data)
{
  Cell *cell = data;

  if (cell->take != NULL)
    g_signal_handlers_disconnect_by_data (cell->take, cell);
  g_clear_object (&cell->take);
  if (cell->sink != NULL)
    g_signal_handlers_disconnect_by_data (cell->sink, cell);
  gst_clear_object (&cell->sink);
  g_free (cell);
}

static char *
dup_letter_title (guint index)
{
  /* Translators: a take in the compare view; %s is a letter, A to D */
  return g_strdup_printf (_("Take %s"), (const char *[]) { "A", "B", "C", "D" }[MIN (index, 3)]);
}

static char *
dup_details (TakesTake *take)
{
  TakesBackend *backend;
  JsonObject *request;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *backend_id = takes_take_get_backend (take);
  const char *model = takes_take_get_model (take);
  double cost;

  backend = takes_backend_registry_lookup (takes_backend_registry_get_default (), backend_id);
  g_string_append (text, backend != NULL ? takes_backend_get_display_name (backend) : backend_id);

  if (model != NULL && *model != '\0')
    g_string_append_printf (text, " · %s", model);

  request = takes_take_get_request (take);
  if (request != NULL && json_object_has_member (request, "seed") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (request, "seed")))
    {
      /* Translators: the random seed a take was generated with */
      g_autofree char *seed = g_strdup_printf (_("seed %lld"),
                                               (long long) json_object_get_int_member (request, "seed"));

      g_string_append_printf (text, " · %s", seed);
    }

  cost = takes_take_get_cost_actual (take);
  if (cost < 0)
    cost = takes_take_get_cost_estimate (take);
  if (cost == 0)
    g_string_append_printf (text, " · %s", _("free"));
  else if (cost > 0)
    g_string_append_printf (text, " · $%.2f", cost);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* 1-based position of @take among the shot's takes; 0 if not there */
static guint
find_take_number (TakesShot *shot,
                  TakesTake *take)
{
  GListModel *takes;
  guint n_items;

  if (shot == NULL)
    return 0;

  takes = takes_shot_get_takes (shot);
  n_items = g_list_model_get_n_items (takes);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TakesTake) item = g_list_model_get_item (takes, i);

      if (item == take)
        return i + 1;
    }

  return 0;
}

static gboolean
labels_hidden (TakesCompareView *self)
{
  return gtk_toggle_button_get_active (self->blind_button) && !self->revealed;
}

static void
update_cell (TakesCompareView *self,
             Cell             *cell)
{
  g_autofree char *title = dup_letter_title (cell->index);
  g_autofree char *facts = dup_details (cell->take);
  g_autofree char *details = NULL;
  g_autofree char *pick_name = NULL;
  g_autofree char *sound_name = NULL;
  gboolean picked = self->shot != NULL &&
                    g_strcmp0 (takes_shot_get_picked_take_id (self->shot),
                               takes_take_get_id (cell->take)) == 0;
  gboolean heard = takes_player_get_audio_source (self->player) == (int) cell->index;
  gboolean has_audio = takes_take_get_has_audio (cell->take) ||
                       takes_player_source_has_audio (self->player, cell->index);
  int rating = takes_take_get_rating (cell->take);
  guint number = find_take_number (self->shot, cell->take);

  /* Which card of the gallery it is, hidden with the rest in blind mode */
  if (number > 0)
    /* Translators: the details of a take in the compare view: its number
     * in the shot's gallery, then backend, model, seed and cost,
     * "Take 3 · Kling · kling-v2 · seed 42 · $0.35" */
    details = g_strdup_printf (_("Take %u · %s"), number, facts);
  else
    details = g_steal_pointer (&facts);

  gtk_label_set_text (GTK_LABEL (cell->title_label), title);
  gtk_label_set_text (GTK_LABEL (cell->details_label), details);
  gtk_widget_set_tooltip_text (cell->details_label, details);
  gtk_widget_set_visible (cell->details_label, !labels_hidden (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell->root),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);

  /* Translators: %s is "Take A" … "Take D" */
  pick_name = g_strdup_printf (picked ? _("%s Is Picked") : _("Pick %s"), title);
  gtk_button_set_label (GTK_BUTTON (cell->pick_button), picked ? _("Picked") : _("Pick"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell->pick_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, pick_name,
                                  -1);
  if (picked)
    gtk_widget_add_css_class (cell->pick_button, "suggested-action");
  else
    gtk_widget_remove_css_class (cell->pick_button, "suggested-action");
  if (picked)
    gtk_widget_add_css_class (cell->root, "takes-compare-picked");
  else
    gtk_widget_remove_css_class (cell->root, "takes-compare-picked");

  /* Translators: %s is "Take A" … "Take D" */
  sound_name = g_strdup_printf (_("Sound of %s"), title);
  gtk_button_set_icon_name (GTK_BUTTON (cell->sound_button),
                            heard && has_audio ? "audio-volume-high-symbolic"
                                               : "audio-volume-muted-symbolic");
  gtk_widget_set_tooltip_text (cell->sound_button,
                               has_audio ? _("Hear this take") : _("This take has no sound"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell->sound_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, sound_name,
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (cell->sound_button),
                               GTK_ACCESSIBLE_STATE_PRESSED, heard,
                               -1);
  gtk_widget_set_visible (cell->speaker, heard && has_audio);

  for (guint i = 0; i < N_STARS; i++)
    {
      gboolean on = (int) i < rating;

      gtk_button_set_icon_name (GTK_BUTTON (cell->stars[i]),
                                on ? "starred-symbolic" : "non-starred-symbolic");
      gtk_accessible_update_state (GTK_ACCESSIBLE (cell->stars[i]),
                                   GTK_ACCESSIBLE_STATE_PRESSED, on,
                                   -1);
    }
}

static void
update_cells (TakesCompareView *self)
{
  for (guint i = 0; i < self->cells->len; i++)
    update_cell (self, g_ptr_array_index (self->cells, i));

  if (self->cells->len >= 2)
    {
      Cell *a = g_ptr_array_index (self->cells, 0);
      Cell *b = g_ptr_array_index (self->cells, 1);
      g_autofree char *title_a = dup_letter_title (0);
      g_autofree char *title_b = dup_letter_title (1);
      g_autofree char *details_a = dup_details (a->take);
      g_autofree char *details_b = dup_details (b->take);
      g_autofree char *text_a = g_strdup_printf ("%s · %s", title_a, details_a);
      g_autofree char *text_b = g_strdup_printf ("%s · %s", title_b, details_b);
      gboolean hidden = labels_hidden (self);

      gtk_label_set_text (self->wipe_label_a, hidden ? title_a : text_a);
      gtk_label_set_text (self->wipe_label_b, hidden ? title_b : text_b);
    }
}

static void
on_sound_clicked (GtkButton *button,
                  Cell      *cell)
{
  takes_player_set_audio_source (cell->view->player, cell->index);
}

static void
on_picture_pressed (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    Cell            *cell)
{
  takes_player_set_audio_source (cell->view->player, cell->index);
}

static void
on_star_clicked (GtkButton *button,
                 Cell      *cell)
{
  TakesCompareView *self = cell->view;
  int stars = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "stars"));
  g_auto(GValue) value = G_VALUE_INIT;

  /* Clicking the current rating again clears it */
  if (takes_take_get_rating (cell->take) == stars)
    stars = 0;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, stars);
  if (self->history != NULL)
    takes_history_set (self->history, cell->take, "rating", &value);
  else
    takes_take_set_rating (cell->take, stars);
}

static void
on_pick_clicked (GtkButton *button,
                 Cell      *cell)
{
  TakesCompareView *self = cell->view;
  const char *id = takes_take_get_id (cell->take);

  if (self->shot == NULL)
    return;

  if (g_strcmp0 (takes_shot_get_picked_take_id (self->shot), id) != 0)
    {
      if (self->history != NULL)
        takes_history_set_string (self->history, self->shot, "picked-take-id", id);
      else
        takes_shot_set_picked_take_id (self->shot, id);
    }

  /* The choice is made: blind mode may now say who made what */
  self->revealed = TRUE;
  update_cells (self);

  g_signal_emit (self, signals[PICKED], 0, cell->take);
}

static void
on_take_changed (TakesTake  *take,
                 GParamSpec *pspec,
                 Cell       *cell)
{
  update_cell (cell->view, cell);
}

static GtkWidget *
make_icon_button (const char *icon_name,
                  const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);

  return button;
}

static Cell *
build_cell (TakesCompareView *self,
            guint             index,
            TakesTake        *take,
            GdkPaintable     *paintable)
{
  Cell *cell = g_new0 (Cell, 1);
  g_autofree char *title = dup_letter_title (index);
  GtkWidget *overlay, *info, *labels, *stars_box;
  GtkGesture *click;

  cell->view = self;
  cell->index = index;
  cell->take = g_object_ref (take);

  cell->root = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (cell->root, "card");
  gtk_widget_add_css_class (cell->root, "takes-compare-cell");
  gtk_widget_set_overflow (cell->root, GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell->root),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);

  overlay = gtk_overlay_new ();
  gtk_widget_set_vexpand (overlay, TRUE);
  gtk_widget_add_css_class (overlay, "takes-video");
  cell->picture = gtk_picture_new_for_paintable (paintable);
  gtk_picture_set_can_shrink (GTK_PICTURE (cell->picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (cell->picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (cell->picture, 160, 90);
  gtk_widget_set_hexpand (cell->picture, TRUE);
  gtk_widget_set_vexpand (cell->picture, TRUE);
  gtk_widget_set_tooltip_text (cell->picture, _("Click to hear this take"));
  gtk_overlay_set_child (GTK_OVERLAY (overlay), cell->picture);

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_picture_pressed), cell);
  gtk_widget_add_controller (cell->picture, GTK_EVENT_CONTROLLER (click));

  cell->speaker = gtk_image_new_from_icon_name ("audio-volume-high-symbolic");
  gtk_widget_set_halign (cell->speaker, GTK_ALIGN_END);
  gtk_widget_set_valign (cell->speaker, GTK_ALIGN_START);
  gtk_widget_set_margin_top (cell->speaker, 8);
  gtk_widget_set_margin_end (cell->speaker, 8);
  gtk_widget_add_css_class (cell->speaker, "takes-compare-speaker");
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell->speaker),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Heard"),
                                  -1);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), cell->speaker);
  gtk_box_append (GTK_BOX (cell->root), overlay);

  info = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (info, 8);
  gtk_widget_set_margin_end (info, 8);
  gtk_widget_set_margin_top (info, 4);
  gtk_widget_set_margin_bottom (info, 4);
  gtk_box_append (GTK_BOX (cell->root), info);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (info), labels);

  cell->title_label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (cell->title_label), 0);
  gtk_widget_add_css_class (cell->title_label, "heading");
  gtk_box_append (GTK_BOX (labels), cell->title_label);

  cell->details_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (cell->details_label), 0);
  /* Two lines fit backend, model, seed and cost in a 2×2 cell */
  gtk_label_set_wrap (GTK_LABEL (cell->details_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (cell->details_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (cell->details_label), 2);
  gtk_label_set_ellipsize (GTK_LABEL (cell->details_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (cell->details_label, "dim-label");
  gtk_widget_add_css_class (cell->details_label, "caption");
  gtk_box_append (GTK_BOX (labels), cell->details_label);

  cell->sound_button = make_icon_button ("audio-volume-muted-symbolic", _("Hear this take"));
  g_signal_connect (cell->sound_button, "clicked", G_CALLBACK (on_sound_clicked), cell);
  gtk_box_append (GTK_BOX (info), cell->sound_button);

  stars_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_valign (stars_box, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (stars_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Rating"),
                                  -1);
  for (guint i = 0; i < N_STARS; i++)
    {
      /* Translators: %s is "Take A" …, %u a number of stars */
      g_autofree char *name = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Rate %s %u Star",
                                                            "Rate %s %u Stars",
                                                            i + 1),
                                               title, i + 1);

      cell->stars[i] = make_icon_button ("non-starred-symbolic", name);
      gtk_widget_add_css_class (cell->stars[i], "takes-compare-star");
      g_object_set_data (G_OBJECT (cell->stars[i]), "stars", GINT_TO_POINTER (i + 1));
      g_signal_connect (cell->stars[i], "clicked", G_CALLBACK (on_star_clicked), cell);
      gtk_box_append (GTK_BOX (stars_box), cell->stars[i]);
    }
  gtk_box_append (GTK_BOX (info), stars_box);

  cell->pick_button = gtk_button_new_with_label (_("Pick"));
  gtk_widget_set_valign (cell->pick_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (cell->pick_button, _("Use this take for the shot"));
  g_signal_connect (cell->pick_button, "clicked", G_CALLBACK (on_pick_clicked), cell);
  gtk_box_append (GTK_BOX (info), cell->pick_button);

  g_signal_connect (take, "notify::rating", G_CALLBACK (on_take_changed), cell);

  return cell;
}

static TakesVideoPaintable *
cell_paintable (Cell *cell)
{
  return cell->sink != NULL ? takes_video_sink_get_paintable (cell->sink) : NULL;
}

static void
release_cells (TakesCompareView *self)
{
  g_clear_handle_id (&self->release_id, g_source_remove);

  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = g_ptr_array_index (self->cells, i);

      if (cell_paintable (cell) == NULL)
        continue;
      cell->held_pts = GST_CLOCK_TIME_NONE;
      takes_video_paintable_release (cell_paintable (cell));
      if (self->together)
        takes_video_paintable_hold (cell_paintable (cell));
    }
}

static gboolean
release_late (gpointer user_data)
{
  TakesCompareView *self = user_data;

  self->release_id = 0;
  release_cells (self);

  return G_SOURCE_REMOVE;
}

/* Every picture has its frame for @pts waiting */
static gboolean
all_cells_at (TakesCompareView *self,
              GstClockTime      pts)
{
  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = g_ptr_array_index (self->cells, i);

      if (cell_paintable (cell) == NULL)
        continue;
      if (!GST_CLOCK_TIME_IS_VALID (cell->held_pts))
        return FALSE;
      if ((cell->held_pts > pts ? cell->held_pts - pts : pts - cell->held_pts) > self->frame_duration / 2)
        return FALSE;
    }

  return TRUE;
}

/* The takes' frames reach the main thread a few milliseconds apart, each
 * on its own streaming thread; a paint in between would show them a
 * frame apart. So each waits until the others have the same frame, or
 * half a frame period at most (a take that ended, a decoder running
 * late), and all change together. */
static void
on_cell_frame (TakesVideoSink *sink,
               guint64         pts,
               Cell           *cell)
{
  TakesCompareView *self = cell->view;

  if (!self->together)
    return;

  cell->held_pts = pts;
  if (all_cells_at (self, pts))
    release_cells (self);
  else if (self->release_id == 0)
    self->release_id = g_timeout_add (MAX (self->frame_duration / GST_MSECOND / 2, 1),
                                      release_late, self);
}

/* Together only when the takes have one frame rate: otherwise their
 * frames do not fall at the same times. Known once the files are open. */
static void
update_together (TakesCompareView *self)
{
  double fps = 0.0;
  gboolean together = self->cells->len >= 2 && takes_player_get_prerolled (self->player);

  for (guint i = 0; together && i < self->cells->len; i++)
    {
      Cell *cell = g_ptr_array_index (self->cells, i);
      double cell_fps = takes_player_get_fps (self->player, cell->index);

      if (cell_paintable (cell) == NULL)
        continue;
      if (cell_fps <= 0.0 || (fps > 0.0 && fabs (cell_fps - fps) > 0.01))
        together = FALSE;
      fps = cell_fps;
    }

  if (together == self->together)
    return;

  self->together = together;
  self->frame_duration = fps > 0.0 ? (GstClockTime) (GST_SECOND / fps) : 0;
  release_cells (self);
}

static void
clear_cells (TakesCompareView *self)
{
  GtkWidget *child;

  self->together = FALSE;
  release_cells (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);

  g_ptr_array_set_size (self->cells, 0);
  takes_wipe_view_set_paintables (self->wipe, NULL, NULL);
}

static guint64
cell_painted (Cell *cell)
{
  TakesVideoPaintable *paintable = cell_paintable (cell);

  if (paintable == NULL)
    return G_MAXUINT64;         /* nothing to wait for */

  return takes_video_paintable_get_n_painted (paintable);
}

/* Every cell has painted a frame since its mark */
static gboolean
cells_painted (TakesCompareView *self)
{
  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = g_ptr_array_index (self->cells, i);

      if (cell_painted (cell) <= cell->painted_mark)
        return FALSE;
    }

  return TRUE;
}

static void
mark_cells (TakesCompareView *self)
{
  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = g_ptr_array_index (self->cells, i);
      guint64 painted = cell_painted (cell);

      cell->painted_mark = painted == G_MAXUINT64 ? 0 : painted;
    }
}

/* Opening starts playing, in two steps, each waiting for every cell to
 * paint a frame. The first frames are decoded before the cells have a
 * size, at the files' full size, while the window is busy with its first
 * layout. So first a flushing seek to the start, once the cells have
 * reported their size: it throws the big frames away and prerolls again
 * at the size the cells ask for, and the relayout that follows happens
 * while paused. Then play, on a quiet main thread with small frames, so
 * none of the first frames is lost. */
static gboolean
start_when_shown (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  TakesCompareView *self = TAKES_COMPARE_VIEW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (frame_clock);

  /* Someone already pressed play or moved the playhead: theirs to run */
  if (takes_player_get_playing (self->player) ||
      (!self->start_prepared && takes_player_get_position (self->player) > 0))
    {
      self->start_tick = 0;
      return G_SOURCE_REMOVE;
    }

  /* Files that never open (the hint label tells why) are not waited for
   * at every frame forever */
  if (self->start_given_up == 0)
    self->start_given_up = now + 15 * G_USEC_PER_SEC;
  else if (now > self->start_given_up)
    {
      self->start_tick = 0;
      return G_SOURCE_REMOVE;
    }

  if (!takes_player_get_prerolled (self->player) || takes_player_get_seeking (self->player))
    return G_SOURCE_CONTINUE;

  if (self->start_deadline == 0)
    self->start_deadline = now + G_USEC_PER_SEC;

  /* A cell that never paints (a file with no picture) holds nothing up
   * for more than a second */
  if (!cells_painted (self) && now < self->start_deadline)
    return G_SOURCE_CONTINUE;

  if (!self->start_prepared)
    {
      self->start_prepared = TRUE;
      self->start_deadline = 0;
      mark_cells (self);
      takes_player_seek (self->player, 0);
      return G_SOURCE_CONTINUE;
    }

  self->start_tick = 0;
  takes_player_play (self->player);

  return G_SOURCE_REMOVE;
}

static void
cancel_start (TakesCompareView *self)
{
  if (self->start_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->start_tick);
  self->start_tick = 0;
  self->start_deadline = 0;
  self->start_given_up = 0;
  self->start_prepared = FALSE;
}

static void
on_blind_toggled (TakesCompareView *self)
{
  /* Turning blind mode on hides the names again until the next pick */
  if (gtk_toggle_button_get_active (self->blind_button))
    self->revealed = FALSE;
  update_cells (self);
}

static void
on_wipe_toggled (TakesCompareView *self)
{
  gboolean wipe = gtk_toggle_button_get_active (self->wipe_button) && self->cells->len == 2;

  gtk_stack_set_visible_child_name (self->stack, wipe ? "wipe" : "grid");
}

static void
on_shot_picked_changed (TakesCompareView *self)
{
  update_cells (self);
}

static void
on_player_error (TakesPlayer      *player,
                 guint             index,
                 const char       *message,
                 TakesCompareView *self)
{
  gtk_label_set_text (self->hint_label, message);
}

static void
takes_compare_view_unmap (GtkWidget *widget)
{
  TakesCompareView *self = TAKES_COMPARE_VIEW (widget);

  cancel_start (self);
  if (takes_player_get_playing (self->player))
    takes_player_pause (self->player);

  GTK_WIDGET_CLASS (takes_compare_view_parent_class)->unmap (widget);
}

static void
takes_compare_view_dispose (GObject *object)
{
  TakesCompareView *self = TAKES_COMPARE_VIEW (object);

  if (self->player != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->player, self);
      takes_player_stop (self->player);
    }
  if (self->shot != NULL)
    g_signal_handlers_disconnect_by_data (self->shot, self);

  if (self->cells != NULL)
    clear_cells (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), TAKES_TYPE_COMPARE_VIEW);

  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_object (&self->player);
  g_clear_object (&self->project);
  g_clear_object (&self->shot);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (takes_compare_view_parent_class)->dispose (object);
}

static void
takes_compare_view_class_init (TakesCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_compare_view_dispose;
  widget_class->unmap = takes_compare_view_unmap;

  signals[PICKED] =
    g_signal_new ("picked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TAKES_TYPE_TAKE);

  g_type_ensure (TAKES_TYPE_TRANSPORT_BAR);
  g_type_ensure (TAKES_TYPE_WIPE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesCompareView, box);
  gtk_widget_class_bind_template_child (widget_class, TakesCompareView, blind_button);
  gtk_widget_class_bind_template_child (widget_class, TakesCompareView, wipe_button);
  gtk_widget_class_bind_template_child (widget_class, TakesCompareView, hint_label);
  gtk_widget_class_bind_template_child (widget_class, TakesCompareView, stack);
  gtk_widget_class_bind_template_child (widget_class, TakesCompareView, grid);
  gtk_widget_class_bind_template_child (widget_class, TakesCompareView, wipe);
  gtk_widget_class_bind_template_child (widget_class, TakesCompareView, wipe_label_a);
  gtk_widget_class_bind_template_child (widget_class, TakesCompareView, wipe_label_b);
  gtk_widget_class_bind_template_child (widget_class, TakesCompareView, transport);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "compareview");
}

static void
takes_compare_view_init (TakesCompareView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _takes_media_ensure_style ();

  self->cells = g_ptr_array_new_with_free_func (cell_free);

  /* GES before anything streams (see takes-player-view.c: ges_init()
   * racing a streaming thread's plugin loading deadlocks) */
  gst_init (NULL, NULL);
  ges_init ();
  takes_video_sink_register ();
  self->player = takes_player_new ("takesvideosink");
  g_signal_connect (self->player, "error", G_CALLBACK (on_player_error), self);
  g_signal_connect_swapped (self->player, "notify::audio-source", G_CALLBACK (update_cells), self);
  /* Which takes have sound is known once the files are open */
  g_signal_connect_swapped (self->player, "notify::prerolled", G_CALLBACK (update_cells), self);
  g_signal_connect_swapped (self->player, "notify::prerolled", G_CALLBACK (update_together), self);

  takes_transport_bar_set_player (self->transport, self->player);

  g_signal_connect_swapped (self->blind_button, "toggled", G_CALLBACK (on_blind_toggled), self);
  g_signal_connect_swapped (self->wipe_button, "toggled", G_CALLBACK (on_wipe_toggled), self);
}

GtkWidget *
takes_compare_view_new (void)
{
  return g_object_new (TAKES_TYPE_COMPARE_VIEW, NULL);
}

void
takes_compare_view_set_takes (TakesCompareView *self,
                              TakesProject     *project,
                              TakesShot        *shot,
                              GPtrArray        *takes,
                              TakesHistory     *history)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) uris = NULL;
  g_autoptr(GError) error = NULL;
  guint n, columns;
  int audio = -1;

  g_return_if_fail (TAKES_IS_COMPARE_VIEW (self));
  g_return_if_fail (TAKES_IS_PROJECT (project));
  g_return_if_fail (TAKES_IS_SHOT (shot));
  g_return_if_fail (takes != NULL);
  g_return_if_fail (history == NULL || TAKES_IS_HISTORY (history));

  clear_cells (self);

  if (self->shot != NULL)
    g_signal_handlers_disconnect_by_data (self->shot, self);
  g_set_object (&self->project, project);
  g_set_object (&self->shot, shot);
  g_set_object (&self->history, history);
  g_signal_connect_swapped (shot, "notify::picked-take-id",
                            G_CALLBACK (on_shot_picked_changed), self);

  n = MIN (takes->len, TAKES_PLAYER_MAX_SOURCES);
  for (guint i = 0; i < n; i++)
    {
      TakesTake *take = g_ptr_array_index (takes, i);
      g_autoptr(GFile) file = NULL;
      g_autofree char *uri = NULL;

      if (takes_take_get_media (take) == NULL)
        continue;

      file = takes_project_resolve (project, takes_take_get_media (take));
      uri = g_file_get_uri (file);
      g_strv_builder_add (builder, uri);
    }
  uris = g_strv_builder_end (builder);

  if (g_strv_length (uris) == 0 ||
      !takes_player_set_uris (self->player, (const char * const *) uris, &error))
    {
      gtk_label_set_text (self->hint_label,
                          error != NULL ? error->message : _("These takes have no video yet"));
      return;
    }

  columns = n <= 2 ? n : 2;
  for (guint i = 0, cell_index = 0; i < n; i++)
    {
      TakesTake *take = g_ptr_array_index (takes, i);
      GstElement *sink;
      GdkPaintable *paintable = NULL;
      Cell *cell;

      if (takes_take_get_media (take) == NULL)
        continue;

      sink = takes_player_get_video_sink (self->player, cell_index);
      if (TAKES_IS_VIDEO_SINK (sink))
        paintable = GDK_PAINTABLE (takes_video_sink_get_paintable (TAKES_VIDEO_SINK (sink)));

      cell = build_cell (self, cell_index, take, paintable);
      cell->held_pts = GST_CLOCK_TIME_NONE;
      if (TAKES_IS_VIDEO_SINK (sink))
        {
          cell->sink = TAKES_VIDEO_SINK (gst_object_ref (sink));
          g_signal_connect (cell->sink, "frame-shown", G_CALLBACK (on_cell_frame), cell);
        }
      g_ptr_array_add (self->cells, cell);
      gtk_grid_attach (self->grid, cell->root, cell_index % columns, cell_index / columns, 1, 1);

      if (audio < 0 && takes_take_get_has_audio (take))
        audio = cell_index;
      cell_index++;
    }

  if (self->cells->len >= 2)
    {
      Cell *a = g_ptr_array_index (self->cells, 0);
      Cell *b = g_ptr_array_index (self->cells, 1);

      takes_wipe_view_set_paintables (self->wipe,
                                      gtk_picture_get_paintable (GTK_PICTURE (a->picture)),
                                      gtk_picture_get_paintable (GTK_PICTURE (b->picture)));
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->wipe_button), self->cells->len == 2);
  if (self->cells->len != 2)
    gtk_toggle_button_set_active (self->wipe_button, FALSE);
  on_wipe_toggled (self);

  self->revealed = FALSE;
  takes_player_set_audio_source (self->player, MAX (audio, 0));
  update_cells (self);

  /* Opening the comparison is asking to see the takes: play them, looped,
   * from the moment every cell shows its first frame */
  takes_player_set_loop (self->player, TRUE);
  cancel_start (self);
  mark_cells (self);
  self->start_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), start_when_shown, NULL, NULL);
}

TakesPlayer *
takes_compare_view_get_player (TakesCompareView *self)
{
  g_return_val_if_fail (TAKES_IS_COMPARE_VIEW (self), NULL);

  return self->player;
}

GPtrArray *
takes_compare_default_selection (TakesShot *shot)
{
  GListModel *model;
  GPtrArray *takes;
  guint n;

  g_return_val_if_fail (TAKES_IS_SHOT (shot), NULL);

  model = takes_shot_get_takes (shot);
  n = g_list_model_get_n_items (model);
  takes = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (model, i);

      if (takes_take_get_state (take) == TAKES_TAKE_READY && takes_take_get_media (take) != NULL)
        g_ptr_array_add (takes, g_steal_pointer (&take));
    }

  /* g_ptr_array_sort is a merge sort in practice, but stability is not
   * promised: ties are broken by the shot's order explicitly. */
  {
    g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_object_unref);

    for (int stars = 5; stars >= 0; stars--)
      for (guint i = 0; i < takes->len; i++)
        if (takes_take_get_rating (g_ptr_array_index (takes, i)) == stars)
          g_ptr_array_add (sorted, g_object_ref (g_ptr_array_index (takes, i)));

    g_ptr_array_set_size (takes, 0);
    for (guint i = 0; i < sorted->len && i < TAKES_PLAYER_MAX_SOURCES; i++)
      g_ptr_array_add (takes, g_object_ref (g_ptr_array_index (sorted, i)));
  }

  return takes;
}

GtkWindow *
takes_compare_window_present (GtkWindow    *parent,
                              TakesProject *project,
                              TakesShot    *shot,
                              GPtrArray    *takes,
                              TakesHistory *history)
{
  g_autoptr(GPtrArray) selection = NULL;
  g_autofree char *title = NULL;
  GtkWidget *window, *box, *header, *view;
  GtkEventController *shortcuts;
  guint position = 0;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TAKES_IS_PROJECT (project), NULL);
  g_return_val_if_fail (TAKES_IS_SHOT (shot), NULL);

  if (takes == NULL || takes->len == 0)
    takes = selection = takes_compare_default_selection (shot);

  takes_project_find_shot_position (project, shot, &position);
  /* Translators: the title of the compare window; %u is the shot number */
  title = g_strdup_printf (_("Compare Takes — Shot %u"), position + 1);

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (window), parent);
      gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (parent));
    }
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);

  view = takes_compare_view_new ();
  gtk_widget_set_vexpand (view, TRUE);
  gtk_box_append (GTK_BOX (box), view);
  adw_window_set_content (ADW_WINDOW (window), box);

  /* Escape closes; the transport keys work anywhere in the window */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, shortcuts);
  takes_transport_bar_add_shortcuts (TAKES_COMPARE_VIEW (view)->transport, window);

  takes_compare_view_set_takes (TAKES_COMPARE_VIEW (view), project, shot, takes, history);
  g_object_set_data (G_OBJECT (window), "takes-compare-view", view);

  gtk_window_present (GTK_WINDOW (window));

  return GTK_WINDOW (window);
}

TakesCompareView *
takes_compare_window_get_view (GtkWindow *window)
{
  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);

  return g_object_get_data (G_OBJECT (window), "takes-compare-view");
}
