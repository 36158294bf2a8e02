/* takes-timeline-view.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-timeline-view"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "takes-texture-loader.h"
#include "takes-timeline-view.h"

#define PAD               12.0   /* before time 0 and after the end */
#define RULER_HEIGHT      24.0
#define VIDEO_Y           (RULER_HEIGHT + 6.0)
#define VIDEO_HEIGHT      64.0
#define AUDIO_Y           (VIDEO_Y + VIDEO_HEIGHT + 8.0)
#define AUDIO_HEIGHT      34.0
#define TOTAL_HEIGHT      (AUDIO_Y + AUDIO_HEIGHT + 8.0)
#define EDGE_GRAB         7.0    /* pixels either side of an edge */
#define HANDLE_SIZE       14.0   /* the boundary handle (cut/crossfade) */
#define SNAP_PIXELS       8.0
#define MIN_PPS           4.0
#define MAX_PPS           1200.0
#define DEFAULT_PPS       60.0
#define THUMB_HEIGHT      128

typedef enum
{
  DRAG_NONE,
  DRAG_SCRUB,
  DRAG_MOVE,
  DRAG_TRIM_START,
  DRAG_TRIM_END,
} DragKind;

typedef enum
{
  HIT_NONE,
  HIT_RULER,
  HIT_CLIP,
  HIT_CLIP_START,
  HIT_CLIP_END,
  HIT_BOUNDARY,
  HIT_AUDIO,
} HitKind;

struct _TakesTimelineView
{
  GtkWidget parent_instance;

  /* owned */
  TakesTimeline *timeline;
  TakesHistory *history;
  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  GHashTable *textures;          /* path → GdkTexture, or NULL while loading */
  GCancellable *cancellable;
  GtkWidget *transition_popover;
  GtkWidget *cut_toggle;
  GtkWidget *crossfade_toggle;
  GtkWidget *length_spin;
  GtkWidget *audio_popover;
  GtkWidget *volume_scale;

  guint hscroll_policy : 1;
  guint vscroll_policy : 1;
  guint updating_popover : 1;
  /* Until the person zooms, the whole film fits the width */
  guint zoom_to_fit : 1;

  double pps;
  gint64 position;
  int selected_clip;
  /* The shot behind the selection: the timeline's positions lag behind
   * the project's until its next update, the shot does not */
  TakesShot *selected_shot;
  int selected_audio;
  int popover_boundary;          /* clip whose transition the popover edits */

  /* dragging */
  DragKind drag;
  int drag_index;
  double drag_start_x;
  double drag_x;
  double drag_delta;             /* seconds, snapped, for trims */
  gboolean drag_moved;
};

static void takes_timeline_view_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TakesTimelineView, takes_timeline_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE,
                                                      takes_timeline_view_scrollable_init))

enum {
  PROP_0,
  PROP_TIMELINE,
  PROP_POSITION,
  PROP_SELECTED_CLIP,
  PROP_PIXELS_PER_SECOND,
  N_PROPS,
  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

static void fit_zoom (TakesTimelineView *self);

static void takes_timeline_view_scrollable_init (GtkScrollableInterface *iface) { }

/* Geometry ------------------------------------------------------------- */

static double
seconds (GstClockTime time)
{
  return (double) time / GST_SECOND;
}

static double
scroll_offset (TakesTimelineView *self)
{
  return self->hadjustment != NULL ? gtk_adjustment_get_value (self->hadjustment) : 0.0;
}

static double
time_to_x (TakesTimelineView *self,
           double             time)
{
  return PAD + time * self->pps - scroll_offset (self);
}

static double
x_to_time (TakesTimelineView *self,
           double             x)
{
  return MAX (0.0, (x - PAD + scroll_offset (self)) / self->pps);
}

static guint
n_clips (TakesTimelineView *self)
{
  return self->timeline != NULL ? takes_timeline_get_n_shots (self->timeline) : 0;
}

static gboolean
clip_range (TakesTimelineView *self,
            guint              position,
            double            *start,
            double            *duration)
{
  GstClockTime s, d;

  if (self->timeline == NULL ||
      !takes_timeline_get_shot_range (self->timeline, position, &s, &d, NULL))
    return FALSE;

  *start = seconds (s);
  *duration = seconds (d);
  return TRUE;
}

static double
cut_duration (TakesTimelineView *self)
{
  return self->timeline != NULL ? seconds (takes_timeline_get_duration (self->timeline)) : 0.0;
}

static double
frame_seconds (TakesTimelineView *self)
{
  if (self->timeline == NULL)
    return 1.0 / 24.0;

  return seconds (takes_timeline_frame_to_time (self->timeline, 1));
}

static double
snap_to_frame (TakesTimelineView *self,
               double             time)
{
  gint64 frame;

  if (self->timeline == NULL)
    return time;

  frame = takes_timeline_time_to_frame (self->timeline, (GstClockTime) (MAX (time, 0.0) * GST_SECOND + 0.5));
  /* time_to_frame floors; round to the nearest frame instead */
  if (time - seconds (takes_timeline_frame_to_time (self->timeline, frame)) > frame_seconds (self) / 2)
    frame++;

  return seconds (takes_timeline_frame_to_time (self->timeline, frame));
}

/* Snaps @time to a clip edge or the playhead when within a few pixels,
 * else to the frame grid. @except is a clip whose edges do not count. */
static double
snap_time (TakesTimelineView *self,
           double             time,
           int                except)
{
  double best = time;
  double best_distance = SNAP_PIXELS / self->pps;
  guint n = n_clips (self);

  for (guint i = 0; i < n; i++)
    {
      double start, duration;

      if ((int) i == except || !clip_range (self, i, &start, &duration))
        continue;

      if (fabs (start - time) < best_distance)
        best_distance = fabs (start - time), best = start;
      if (fabs (start + duration - time) < best_distance)
        best_distance = fabs (start + duration - time), best = start + duration;
    }

  if (fabs (seconds (self->position) - time) < best_distance)
    best = seconds (self->position);

  return snap_to_frame (self, best);
}

static TakesSoundtrackClip *
get_audio_clip (TakesTimelineView *self,
                guint              index)
{
  TakesProject *project;

  if (self->timeline == NULL)
    return NULL;

  project = takes_timeline_get_project (self->timeline);
  if (index >= g_list_model_get_n_items (takes_project_get_soundtrack (project)))
    return NULL;

  return g_list_model_get_item (takes_project_get_soundtrack (project), index);
}

static void
audio_range (TakesTimelineView   *self,
             TakesSoundtrackClip *clip,
             double              *start,
             double              *duration)
{
  *start = takes_soundtrack_clip_get_start (clip);
  *duration = takes_soundtrack_clip_get_duration (clip);
  /* "To the end of the file": shown to the end of the cut, where the
   * export stops it too */
  if (*duration <= 0)
    *duration = MAX (cut_duration (self) - *start, 1.0);
}

gboolean
takes_timeline_view_get_clip_bounds (TakesTimelineView *self,
                                     guint              position,
                                     graphene_rect_t   *bounds)
{
  double start, duration;

  g_return_val_if_fail (TAKES_IS_TIMELINE_VIEW (self), FALSE);

  if (!clip_range (self, position, &start, &duration))
    return FALSE;

  graphene_rect_init (bounds, time_to_x (self, start), VIDEO_Y,
                      duration * self->pps, VIDEO_HEIGHT);
  return TRUE;
}

gboolean
takes_timeline_view_clip_is_placeholder (TakesTimelineView *self,
                                         guint              position)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE_VIEW (self), FALSE);

  return self->timeline != NULL &&
         position < n_clips (self) &&
         takes_timeline_shot_is_placeholder (self->timeline, position);
}

static HitKind
hit_test (TakesTimelineView *self,
          double             x,
          double             y,
          int               *index)
{
  guint n = n_clips (self);

  *index = -1;

  if (y < RULER_HEIGHT)
    return HIT_RULER;

  if (y >= VIDEO_Y && y < VIDEO_Y + VIDEO_HEIGHT)
    {
      /* The handle between two clips, at the bottom of the track */
      if (y >= VIDEO_Y + VIDEO_HEIGHT - HANDLE_SIZE - 2)
        for (guint i = 0; i + 1 < n; i++)
          {
            double start, duration, bx;

            if (!clip_range (self, i + 1, &start, &duration))
              continue;
            bx = time_to_x (self, start + seconds (takes_timeline_get_shot_overlap (self->timeline, i)) / 2);
            if (fabs (x - bx) <= HANDLE_SIZE / 2 + 1)
              {
                *index = i;
                return HIT_BOUNDARY;
              }
          }

      /* Later clips lie over earlier ones inside a crossfade */
      for (int i = (int) n - 1; i >= 0; i--)
        {
          double start, duration, x0, x1;

          if (!clip_range (self, i, &start, &duration))
            continue;

          x0 = time_to_x (self, start);
          x1 = time_to_x (self, start + duration);
          if (x < x0 - EDGE_GRAB || x > x1 + EDGE_GRAB)
            continue;

          *index = i;
          if (fabs (x - x0) <= EDGE_GRAB && x1 - x0 > 3 * EDGE_GRAB)
            return HIT_CLIP_START;
          if (fabs (x - x1) <= EDGE_GRAB && x1 - x0 > 3 * EDGE_GRAB)
            {
              /* The next clip's start edge sits here too: the side of the
               * pointer says which edge is meant. */
              if (x > x1 && i + 1 < (int) n)
                {
                  *index = i + 1;
                  return HIT_CLIP_START;
                }
              return HIT_CLIP_END;
            }
          if (x >= x0 && x <= x1)
            return HIT_CLIP;
        }
      return HIT_NONE;
    }

  if (y >= AUDIO_Y && y < AUDIO_Y + AUDIO_HEIGHT && self->timeline != NULL)
    {
      GListModel *soundtrack = takes_project_get_soundtrack (takes_timeline_get_project (self->timeline));

      for (int i = (int) g_list_model_get_n_items (soundtrack) - 1; i >= 0; i--)
        {
          g_autoptr(TakesSoundtrackClip) clip = g_list_model_get_item (soundtrack, i);
          double start, duration;

          audio_range (self, clip, &start, &duration);
          if (x >= time_to_x (self, start) && x <= time_to_x (self, start + duration))
            {
              *index = i;
              return HIT_AUDIO;
            }
        }
    }

  return HIT_NONE;
}

/* Scrolling ------------------------------------------------------------- */

static void
configure_adjustment (TakesTimelineView *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double upper = 2 * PAD + cut_duration (self) * self->pps + width / 3;
  double value;

  if (self->hadjustment == NULL)
    return;

  upper = MAX (upper, width);
  value = CLAMP (gtk_adjustment_get_value (self->hadjustment), 0, MAX (upper - width, 0));
  gtk_adjustment_configure (self->hadjustment, value, 0, upper,
                            width * 0.1, width * 0.9, width);
}

static void
adjustment_value_changed_cb (TakesTimelineView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_hadjustment (TakesTimelineView *self,
                 GtkAdjustment     *adjustment)
{
  if (adjustment != NULL && self->hadjustment == adjustment)
    return;

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->hadjustment, self);
  g_clear_object (&self->hadjustment);

  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);

  self->hadjustment = g_object_ref_sink (adjustment);
  g_signal_connect_swapped (adjustment, "value-changed",
                            G_CALLBACK (adjustment_value_changed_cb), self);
  configure_adjustment (self);
  g_object_notify (G_OBJECT (self), "hadjustment");
}

static void
set_vadjustment (TakesTimelineView *self,
                 GtkAdjustment     *adjustment)
{
  if (adjustment != NULL && self->vadjustment == adjustment)
    return;

  g_clear_object (&self->vadjustment);
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  self->vadjustment = g_object_ref_sink (adjustment);
  g_object_notify (G_OBJECT (self), "vadjustment");
}

/* Keeps the playhead in view while playing or stepping */
static void
follow_playhead (TakesTimelineView *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double x = time_to_x (self, seconds (self->position));

  if (self->hadjustment == NULL || width <= 0 || self->drag != DRAG_NONE)
    return;

  if (x < PAD || x > width - PAD)
    gtk_adjustment_set_value (self->hadjustment,
                              MAX (0, seconds (self->position) * self->pps - width / 4));
}

/* Accessibility ---------------------------------------------------------- */

static void
update_accessible (TakesTimelineView *self)
{
  g_autofree char *description = NULL;
  int selected = self->selected_clip;

  if (selected >= 0 && selected < (int) n_clips (self))
    {
      TakesShot *shot = takes_timeline_get_shot (self->timeline, selected);
      g_autofree char *title = takes_shot_dup_display_title (shot);

      /* Translators: what a screen reader says of the timeline: the
       * selected clip, its number and title, and how many there are */
      description = g_strdup_printf (_("Shot %d, “%s”, selected; %u shots"),
                                     selected + 1, title, n_clips (self));
    }
  else
    description = g_strdup_printf (ngettext ("%u shot", "%u shots", n_clips (self)), n_clips (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* Thumbnails ------------------------------------------------------------- */

typedef struct
{
  TakesTimelineView *self;
  char *path;
} ThumbLoad;

static void
thumbnail_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ThumbLoad *load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = _takes_texture_loader_load_finish (result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (texture != NULL)
        g_hash_table_replace (load->self->textures, g_strdup (load->path), g_steal_pointer (&texture));
      gtk_widget_queue_draw (GTK_WIDGET (load->self));
    }

  g_object_unref (load->self);
  g_free (load->path);
  g_free (load);
}

static GdkTexture *
lookup_thumbnail (TakesTimelineView *self,
                  TakesShot         *shot)
{
  TakesTake *take = takes_shot_get_picked_take (shot);
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  GdkTexture *texture;
  ThumbLoad *load;

  if (take == NULL || takes_take_get_thumbnail (take) == NULL)
    return NULL;

  file = takes_project_resolve (takes_timeline_get_project (self->timeline),
                                takes_take_get_thumbnail (take));
  path = g_file_get_path (file);
  if (path == NULL)
    return NULL;

  if (g_hash_table_lookup_extended (self->textures, path, NULL, (gpointer *) &texture))
    return texture;

  texture = _takes_texture_loader_lookup (file, THUMB_HEIGHT * 16 / 9, THUMB_HEIGHT);
  if (texture != NULL)
    {
      g_hash_table_insert (self->textures, g_strdup (path), texture);
      return texture;
    }

  /* Loading: remembered as NULL so it is asked for once */
  g_hash_table_insert (self->textures, g_strdup (path), NULL);
  load = g_new0 (ThumbLoad, 1);
  load->self = g_object_ref (self);
  load->path = g_strdup (path);
  _takes_texture_loader_load_async (file, THUMB_HEIGHT * 16 / 9, THUMB_HEIGHT,
                                    self->cancellable, thumbnail_loaded_cb, load);

  return NULL;
}

/* Drawing ----------------------------------------------------------------- */

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         width,
             double         height)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static void
append_text (TakesTimelineView *self,
             GtkSnapshot       *snapshot,
             const char        *text,
             double             x,
             double             y,
             double             max_width,
             const GdkRGBA     *color,
             gboolean           bold)
{
  PangoLayout *layout;

  if (max_width < 12)
    return;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  /* A title in Arabic inside a clip still reads right to left; the
   * layout direction follows the text, the clip geometry does not. */
  pango_layout_set_auto_dir (layout, TRUE);
  pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
get_fg_color (TakesTimelineView *self,
              GdkRGBA           *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static double
ruler_step (TakesTimelineView *self)
{
  static const double steps[] = { 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * self->pps >= 70)
      return steps[i];

  return 1200;
}

static char *
format_ruler_time (double time,
                   double step)
{
  int total = (int) floor (time + 1e-6);

  if (step < 1)
    return g_strdup_printf ("%d:%02d.%02d", total / 60, total % 60,
                            (int) round ((time - total) * 100));

  return g_strdup_printf ("%d:%02d", total / 60, total % 60);
}

static void
draw_ruler (TakesTimelineView *self,
            GtkSnapshot       *snapshot,
            double             width,
            const GdkRGBA     *fg)
{
  GdkRGBA tick = *fg, bg = *fg;
  double step = ruler_step (self);
  double first, last;

  bg.alpha = 0.06;
  tick.alpha = 0.45;
  append_rect (snapshot, &bg, 0, 0, width, RULER_HEIGHT);

  first = floor (x_to_time (self, 0) / step) * step;
  last = x_to_time (self, width) + step;

  for (double t = first; t <= last; t += step)
    {
      double x = time_to_x (self, t);
      g_autofree char *label = format_ruler_time (t, step);

      append_rect (snapshot, &tick, round (x), RULER_HEIGHT - 8, 1, 8);
      append_rect (snapshot, &tick, round (x + step * self->pps / 2), RULER_HEIGHT - 4, 1, 4);
      append_text (self, snapshot, label, x + 3, 2, step * self->pps - 6, &tick, FALSE);
    }
}

static void
draw_hatch (GtkSnapshot           *snapshot,
            const graphene_rect_t *rect)
{
  GskColorStop stops[] = {
    { 0.0, { 0.42, 0.42, 0.46, 0.9 } },
    { 0.5, { 0.42, 0.42, 0.46, 0.9 } },
    { 0.5, { 0.32, 0.32, 0.36, 0.9 } },
    { 1.0, { 0.32, 0.32, 0.36, 0.9 } },
  };

  gtk_snapshot_append_repeating_linear_gradient (snapshot, rect,
                                                 &GRAPHENE_POINT_INIT (rect->origin.x, rect->origin.y),
                                                 &GRAPHENE_POINT_INIT (rect->origin.x + 10, rect->origin.y + 10),
                                                 stops, G_N_ELEMENTS (stops));
}

static void
draw_filmstrip (TakesTimelineView     *self,
                GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                GdkTexture            *texture,
                double                 inpoint)
{
  double tile_height = rect->size.height;
  double tile_width = tile_height * gdk_texture_get_width (texture) / MAX (gdk_texture_get_height (texture), 1);
  double offset;

  tile_width = MAX (tile_width, 8);
  /* A trimmed start shows the strip shifted, as if the picture moved */
  offset = fmod (inpoint * self->pps, tile_width);

  gtk_snapshot_push_clip (snapshot, rect);
  for (double x = rect->origin.x - offset; x < rect->origin.x + rect->size.width; x += tile_width)
    gtk_snapshot_append_texture (snapshot, texture,
                                 &GRAPHENE_RECT_INIT (x, rect->origin.y, tile_width, tile_height));
  gtk_snapshot_pop (snapshot);
}

static void
draw_clip (TakesTimelineView *self,
           GtkSnapshot       *snapshot,
           guint              position,
           double             x,
           double             width,
           double             alpha)
{
  static const GdkRGBA clip_bg = { 0.16, 0.38, 0.62, 1.0 };
  static const GdkRGBA white = { 1, 1, 1, 1 };
  static const GdkRGBA shade = { 0, 0, 0, 0.55 };
  static const GdkRGBA selected_border = { 0.98, 0.76, 0.15, 1 };
  static const GdkRGBA border = { 0, 0, 0, 0.6 };
  TakesShot *shot = takes_timeline_get_shot (self->timeline, position);
  gboolean placeholder = takes_timeline_shot_is_placeholder (self->timeline, position);
  graphene_rect_t rect = GRAPHENE_RECT_INIT (x, VIDEO_Y, MAX (width, 1), VIDEO_HEIGHT);
  GskRoundedRect rounded;
  g_autofree char *title = takes_shot_dup_display_title (shot);
  g_autofree char *number = g_strdup_printf ("%u", position + 1);
  GdkTexture *texture = NULL;
  GstClockTime inpoint = 0;

  takes_timeline_get_shot_range (self->timeline, position, NULL, NULL, &inpoint);

  gtk_snapshot_push_opacity (snapshot, alpha);
  gsk_rounded_rect_init_from_rect (&rounded, &rect, 4);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);

  if (placeholder)
    draw_hatch (snapshot, &rect);
  else
    {
      append_rect (snapshot, &clip_bg, rect.origin.x, rect.origin.y, rect.size.width, rect.size.height);
      texture = lookup_thumbnail (self, shot);
      if (texture != NULL)
        draw_filmstrip (self, snapshot, &rect, texture, seconds (inpoint));
    }

  /* The label band: number and title, always readable over pictures */
  append_rect (snapshot, &shade, rect.origin.x, rect.origin.y, rect.size.width, 18);
  append_text (self, snapshot, number, rect.origin.x + 5, rect.origin.y + 1, 24, &white, TRUE);
  append_text (self, snapshot, title, rect.origin.x + 22, rect.origin.y + 1,
               rect.size.width - 28, &white, FALSE);

  if (placeholder)
    {
      const char *problem = takes_timeline_get_shot_problem (self->timeline, position);

      append_rect (snapshot, &shade, rect.origin.x, rect.origin.y + VIDEO_HEIGHT - 20,
                   rect.size.width, 20);
      append_text (self, snapshot, problem != NULL ? problem : _("No take yet"),
                   rect.origin.x + 5, rect.origin.y + VIDEO_HEIGHT - 18,
                   rect.size.width - 10 - HANDLE_SIZE, &white, FALSE);
    }

  gtk_snapshot_pop (snapshot);

  {
    GdkRGBA colors[4];
    gboolean selected = (int) position == self->selected_clip;
    float w = selected ? 2.5 : 1;

    for (guint i = 0; i < 4; i++)
      colors[i] = selected ? selected_border : border;
    gtk_snapshot_append_border (snapshot, &rounded, (float[4]) { w, w, w, w }, colors);
  }

  gtk_snapshot_pop (snapshot);
}

/* A crossfade: the overlap drawn as the classic diagonal, the later clip
 * fading in over the earlier one */
static void
draw_crossfade (TakesTimelineView *self,
                GtkSnapshot       *snapshot,
                double             x0,
                double             x1)
{
  graphene_rect_t rect = GRAPHENE_RECT_INIT (x0, VIDEO_Y + 18, MAX (x1 - x0, 1), VIDEO_HEIGHT - 18);
  GskColorStop stops[] = {
    { 0.0, { 0.05, 0.05, 0.08, 0.0 } },
    { 1.0, { 0.05, 0.05, 0.08, 0.55 } },
  };
  cairo_t *cr;

  gtk_snapshot_append_linear_gradient (snapshot, &rect,
                                       &GRAPHENE_POINT_INIT (x0, VIDEO_Y + VIDEO_HEIGHT),
                                       &GRAPHENE_POINT_INIT (x1, VIDEO_Y + 18),
                                       stops, G_N_ELEMENTS (stops));

  cr = gtk_snapshot_append_cairo (snapshot, &rect);
  cairo_set_line_width (cr, 1.5);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
  cairo_move_to (cr, x0, VIDEO_Y + VIDEO_HEIGHT);
  cairo_line_to (cr, x1, VIDEO_Y + 18);
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.4);
  cairo_move_to (cr, x0, VIDEO_Y + 18);
  cairo_line_to (cr, x1, VIDEO_Y + VIDEO_HEIGHT);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
draw_boundary_handle (TakesTimelineView *self,
                      GtkSnapshot       *snapshot,
                      guint              position,
                      double             x,
                      gboolean           crossfade)
{
  static const GdkRGBA handle = { 0.95, 0.95, 0.97, 1 };
  static const GdkRGBA selected = { 0.98, 0.76, 0.15, 1 };
  static const GdkRGBA dark = { 0.1, 0.1, 0.12, 1 };
  graphene_rect_t rect = GRAPHENE_RECT_INIT (x - HANDLE_SIZE / 2,
                                             VIDEO_Y + VIDEO_HEIGHT - HANDLE_SIZE - 2,
                                             HANDLE_SIZE, HANDLE_SIZE);
  GskRoundedRect rounded;
  gboolean is_selected = self->popover_boundary == (int) position &&
                         gtk_widget_get_visible (self->transition_popover);

  gsk_rounded_rect_init_from_rect (&rounded, &rect, crossfade ? HANDLE_SIZE / 2 : 2);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  append_rect (snapshot, is_selected ? &selected : &handle,
               rect.origin.x, rect.origin.y, rect.size.width, rect.size.height);
  /* A bar for a cut, an X-like cross for a crossfade */
  if (crossfade)
    {
      append_rect (snapshot, &dark, x - 4, rect.origin.y + HANDLE_SIZE / 2 - 1, 8, 2);
    }
  else
    append_rect (snapshot, &dark, x - 1, rect.origin.y + 3, 2, HANDLE_SIZE - 6);
  gtk_snapshot_pop (snapshot);
}

static void
draw_audio (TakesTimelineView *self,
            GtkSnapshot       *snapshot,
            double             width,
            const GdkRGBA     *fg)
{
  static const GdkRGBA audio_bg = { 0.18, 0.55, 0.34, 1 };
  static const GdkRGBA white = { 1, 1, 1, 1 };
  static const GdkRGBA selected_border = { 0.98, 0.76, 0.15, 1 };
  static const GdkRGBA border = { 0, 0, 0, 0.5 };
  GdkRGBA track = *fg, hint = *fg;
  GListModel *soundtrack = takes_project_get_soundtrack (takes_timeline_get_project (self->timeline));
  guint n = g_list_model_get_n_items (soundtrack);

  track.alpha = 0.05;
  hint.alpha = 0.5;
  append_rect (snapshot, &track, 0, AUDIO_Y, width, AUDIO_HEIGHT);

  if (n == 0)
    {
      append_text (self, snapshot, _("Drop music or voice-over files here"),
                   time_to_x (self, 0) + 6, AUDIO_Y + 8, width - 20, &hint, FALSE);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TakesSoundtrackClip) clip = g_list_model_get_item (soundtrack, i);
      g_autofree char *name = g_path_get_basename (takes_soundtrack_clip_get_media (clip));
      g_autofree char *label = NULL;
      double start, duration;
      graphene_rect_t rect;
      GskRoundedRect rounded;
      GdkRGBA colors[4];
      gboolean selected = (int) i == self->selected_audio;
      float w = selected ? 2.5 : 1;

      audio_range (self, clip, &start, &duration);
      rect = GRAPHENE_RECT_INIT (time_to_x (self, start), AUDIO_Y + 2,
                                 MAX (duration * self->pps, 2), AUDIO_HEIGHT - 4);
      gsk_rounded_rect_init_from_rect (&rounded, &rect, 4);

      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      append_rect (snapshot, &audio_bg, rect.origin.x, rect.origin.y, rect.size.width, rect.size.height);
      /* Translators: a music clip on the timeline: file name and volume */
      label = g_strdup_printf (_("%s · %d%%"), name,
                               (int) round (takes_soundtrack_clip_get_volume (clip) * 100));
      append_text (self, snapshot, label, rect.origin.x + 6, rect.origin.y + 7,
                   rect.size.width - 12, &white, FALSE);
      gtk_snapshot_pop (snapshot);

      for (guint c = 0; c < 4; c++)
        colors[c] = selected ? selected_border : border;
      gtk_snapshot_append_border (snapshot, &rounded, (float[4]) { w, w, w, w }, colors);
    }
}

static void
takes_timeline_view_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  TakesTimelineView *self = TAKES_TIMELINE_VIEW (widget);
  static const GdkRGBA playhead = { 0.90, 0.16, 0.22, 1 };
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  GdkRGBA fg, track;
  guint n = n_clips (self);
  double x;

  get_fg_color (self, &fg);
  track = fg;
  track.alpha = 0.05;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  draw_ruler (self, snapshot, width, &fg);
  append_rect (snapshot, &track, 0, VIDEO_Y, width, VIDEO_HEIGHT);

  if (self->timeline != NULL)
    {
      for (guint i = 0; i < n; i++)
        {
          double start, duration, x0, w;

          if (!clip_range (self, i, &start, &duration))
            continue;

          x0 = time_to_x (self, start);
          w = duration * self->pps;

          /* A trim in progress: the edge follows the pointer */
          if ((int) i == self->drag_index && self->drag == DRAG_TRIM_START)
            {
              x0 += self->drag_delta * self->pps;
              w -= self->drag_delta * self->pps;
            }
          else if ((int) i == self->drag_index && self->drag == DRAG_TRIM_END)
            w += self->drag_delta * self->pps;

          if (x0 > width || x0 + w < 0)
            continue;

          draw_clip (self, snapshot, i,
                     x0, w, (int) i == self->drag_index && self->drag == DRAG_MOVE && self->drag_moved ? 0.35 : 1.0);
        }

      for (guint i = 0; i + 1 < n; i++)
        {
          GstClockTime overlap = takes_timeline_get_shot_overlap (self->timeline, i);
          double start, duration, bx;

          if (!clip_range (self, i + 1, &start, &duration))
            continue;
          if (overlap > 0)
            draw_crossfade (self, snapshot, time_to_x (self, start),
                            time_to_x (self, start + seconds (overlap)));
          bx = time_to_x (self, start + seconds (overlap) / 2);
          draw_boundary_handle (self, snapshot, i, bx, overlap > 0);
        }

      /* Reordering: the clip under the pointer and where it would land */
      if (self->drag == DRAG_MOVE && self->drag_moved && self->drag_index >= 0)
        {
          double start, duration;
          static const GdkRGBA marker = { 0.98, 0.76, 0.15, 1 };

          if (clip_range (self, self->drag_index, &start, &duration))
            draw_clip (self, snapshot, self->drag_index,
                       time_to_x (self, start) + self->drag_x - self->drag_start_x,
                       duration * self->pps, 0.8);
          append_rect (snapshot, &marker, round (self->drag_x) - 1, VIDEO_Y - 3, 3, VIDEO_HEIGHT + 6);
        }

      draw_audio (self, snapshot, width, &fg);
    }

  x = round (time_to_x (self, seconds (self->position)));
  append_rect (snapshot, &playhead, x - 0.5, 0, 2, height);
  {
    GskRoundedRect head;

    gsk_rounded_rect_init_from_rect (&head, &GRAPHENE_RECT_INIT (x - 5, 0, 12, 10), 3);
    gtk_snapshot_push_rounded_clip (snapshot, &head);
    append_rect (snapshot, &playhead, x - 5, 0, 12, 10);
    gtk_snapshot_pop (snapshot);
  }

  gtk_snapshot_pop (snapshot);
}

static void
takes_timeline_view_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = 100, *natural = 600;
  else
    *minimum = *natural = (int) TOTAL_HEIGHT;
}

static void
takes_timeline_view_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  TakesTimelineView *self = TAKES_TIMELINE_VIEW (widget);

  fit_zoom (self);
  configure_adjustment (self);
  gtk_popover_present (GTK_POPOVER (self->transition_popover));
  gtk_popover_present (GTK_POPOVER (self->audio_popover));
}

static void
takes_timeline_view_unmap (GtkWidget *widget)
{
  TakesTimelineView *self = TAKES_TIMELINE_VIEW (widget);

  /* A popover must not outlive the surface it points into */
  gtk_popover_popdown (GTK_POPOVER (self->transition_popover));
  gtk_popover_popdown (GTK_POPOVER (self->audio_popover));

  GTK_WIDGET_CLASS (takes_timeline_view_parent_class)->unmap (widget);
}

/* Edits -------------------------------------------------------------------- */

static TakesProject *
get_project (TakesTimelineView *self)
{
  return self->timeline != NULL ? takes_timeline_get_project (self->timeline) : NULL;
}

static gboolean
can_edit (TakesTimelineView *self)
{
  return self->timeline != NULL && self->history != NULL;
}

gboolean
takes_timeline_view_move_selected (TakesTimelineView *self,
                                   int                delta)
{
  guint from, n;
  int to;

  g_return_val_if_fail (TAKES_IS_TIMELINE_VIEW (self), FALSE);

  if (!can_edit (self) || self->selected_shot == NULL ||
      !takes_project_find_shot_position (get_project (self), self->selected_shot, &from))
    return FALSE;

  n = takes_project_get_n_shots (get_project (self));
  to = CLAMP ((int) from + delta, 0, (int) n - 1);
  if (to == (int) from)
    return FALSE;

  takes_history_move_shot (self->history, from, to);
  /* The selection follows the shot: the timeline catches up on its next
   * update, where the shot will be at @to */
  self->selected_clip = to;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CLIP]);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return TRUE;
}

gboolean
takes_timeline_view_set_transition (TakesTimelineView *self,
                                    TakesTransition    transition,
                                    double             duration)
{
  TakesShot *shot;

  g_return_val_if_fail (TAKES_IS_TIMELINE_VIEW (self), FALSE);

  guint position;

  if (!can_edit (self) || self->selected_shot == NULL ||
      !takes_project_find_shot_position (get_project (self), self->selected_shot, &position) ||
      position + 1 >= takes_project_get_n_shots (get_project (self)))
    return FALSE;

  shot = self->selected_shot;
  duration = snap_to_frame (self, MAX (duration, frame_seconds (self)));

  takes_history_begin (self->history,
                       transition == TAKES_TRANSITION_CROSSFADE ? _("Crossfade") : _("Cut"));
  if (takes_shot_get_transition (shot) != transition)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, TAKES_TYPE_TRANSITION);
      g_value_set_enum (&value, transition);
      takes_history_set (self->history, shot, "transition", &value);
    }
  if (transition == TAKES_TRANSITION_CROSSFADE &&
      fabs (takes_shot_get_transition_duration (shot) - duration) > 1e-6)
    takes_history_set_double (self->history, shot, "transition-duration", duration);
  takes_history_end (self->history);

  return TRUE;
}

static double
take_duration (TakesShot *shot)
{
  TakesTake *take = takes_shot_get_picked_take (shot);

  return take != NULL ? takes_take_get_duration (take) : 0.0;
}

gboolean
takes_timeline_view_trim (TakesTimelineView *self,
                          guint              position,
                          GtkPositionType    edge,
                          double             delta)
{
  TakesShot *shot;
  double length, trim_in, trim_out, frame;

  g_return_val_if_fail (TAKES_IS_TIMELINE_VIEW (self), FALSE);

  if (!can_edit (self) || position >= n_clips (self))
    return FALSE;

  shot = takes_timeline_get_shot (self->timeline, position);
  frame = frame_seconds (self);

  if (takes_timeline_shot_is_placeholder (self->timeline, position))
    {
      double duration;

      /* A placeholder has no take to trim: its end sets the duration the
       * shot is meant to have */
      if (edge != GTK_POS_RIGHT)
        return FALSE;
      duration = snap_to_frame (self, takes_shot_get_duration (shot) + delta);
      duration = CLAMP (duration, MAX (frame, 0.1), TAKES_SHOT_MAX_DURATION);
      if (fabs (duration - takes_shot_get_duration (shot)) < 1e-9)
        return FALSE;
      takes_history_set_double (self->history, shot, "duration", duration);
      return TRUE;
    }

  /* The take's whole frames: AAC priming makes containers a little
   * longer than their pictures */
  length = seconds (takes_timeline_frame_to_time (self->timeline,
                                                 takes_timeline_time_to_frame (self->timeline,
                                                                               (GstClockTime) (take_duration (shot) * GST_SECOND + 0.5))));
  if (length <= 0)
    return FALSE;
  trim_in = takes_shot_get_trim_in (shot);
  trim_out = takes_shot_get_trim_out (shot);
  if (trim_out <= 0 || trim_out > length)
    trim_out = length;

  if (edge == GTK_POS_LEFT)
    {
      double value = snap_to_frame (self, trim_in + delta);

      value = CLAMP (value, 0.0, MAX (trim_out - frame, 0.0));
      if (fabs (value - trim_in) < 1e-9)
        return FALSE;
      takes_history_break_coalescing (self->history);
      takes_history_set_double (self->history, shot, "trim-in", value);
    }
  else
    {
      double value = snap_to_frame (self, trim_out + delta);

      value = CLAMP (value, trim_in + frame, length);
      if (fabs (value - trim_out) < 1e-9)
        return FALSE;
      /* The whole take again is stored as "to the end" */
      if (value >= length - frame / 2)
        value = 0;
      if (fabs (value - takes_shot_get_trim_out (shot)) < 1e-9)
        return FALSE;
      takes_history_break_coalescing (self->history);
      takes_history_set_double (self->history, shot, "trim-out", value);
    }

  return TRUE;
}

TakesSoundtrackClip *
takes_timeline_view_add_audio (TakesTimelineView *self,
                               GFile             *file,
                               double             start)
{
  g_autoptr(TakesSoundtrackClip) clip = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *path = NULL;
  TakesProject *project;

  g_return_val_if_fail (TAKES_IS_TIMELINE_VIEW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  project = get_project (self);
  if (project == NULL || (path = g_file_get_path (file)) == NULL)
    return NULL;

  /* A file outside the project stays absolute until the next save
   * copies it into the media folder */
  relative = takes_project_relativize (project, file);
  clip = takes_soundtrack_clip_new (relative != NULL ? relative : path);
  takes_soundtrack_clip_set_start (clip, snap_to_frame (self, MAX (start, 0.0)));

  if (self->history != NULL)
    takes_history_add_soundtrack_clip (self->history, clip);
  else
    takes_project_add_soundtrack_clip (project, clip);

  return clip;
}

/* Popovers ------------------------------------------------------------------ */

static TakesShot *
popover_shot (TakesTimelineView *self)
{
  if (self->timeline == NULL || self->popover_boundary < 0 ||
      self->popover_boundary >= (int) n_clips (self))
    return NULL;

  return takes_timeline_get_shot (self->timeline, self->popover_boundary);
}

static void
sync_transition_popover (TakesTimelineView *self)
{
  TakesShot *shot = popover_shot (self);
  gboolean crossfade;

  if (shot == NULL)
    return;

  crossfade = takes_shot_get_transition (shot) == TAKES_TRANSITION_CROSSFADE;
  self->updating_popover = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->cut_toggle), !crossfade);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->crossfade_toggle), crossfade);
  /* A shot that never had a crossfade offers the usual one second */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->length_spin),
                             takes_shot_get_transition_duration (shot) > 0
                             ? takes_shot_get_transition_duration (shot) : 1.0);
  gtk_widget_set_sensitive (self->length_spin, crossfade);
  self->updating_popover = FALSE;
}

static void
transition_controls_changed_cb (TakesTimelineView *self)
{
  TakesTransition transition;

  if (self->updating_popover || popover_shot (self) == NULL)
    return;

  transition = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->crossfade_toggle))
             ? TAKES_TRANSITION_CROSSFADE : TAKES_TRANSITION_CUT;
  takes_timeline_view_set_selected_clip (self, self->popover_boundary);
  takes_timeline_view_set_transition (self, transition,
                                      gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->length_spin)));
  gtk_widget_set_sensitive (self->length_spin, transition == TAKES_TRANSITION_CROSSFADE);
}

static void
open_transition_popover (TakesTimelineView *self,
                         guint              boundary)
{
  double start, duration, x;

  if (boundary + 1 >= n_clips (self) || !clip_range (self, boundary + 1, &start, &duration))
    return;

  self->popover_boundary = boundary;
  x = time_to_x (self, start + seconds (takes_timeline_get_shot_overlap (self->timeline, boundary)) / 2);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->transition_popover),
                               &(GdkRectangle) { (int) x - 7, (int) (VIDEO_Y + VIDEO_HEIGHT - HANDLE_SIZE), 14, 14 });
  sync_transition_popover (self);
  gtk_popover_popup (GTK_POPOVER (self->transition_popover));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
takes_timeline_view_edit_transition (TakesTimelineView *self)
{
  g_return_if_fail (TAKES_IS_TIMELINE_VIEW (self));

  if (self->selected_clip >= 0)
    open_transition_popover (self, self->selected_clip);
}

static TakesSoundtrackClip *
selected_audio_clip (TakesTimelineView *self)
{
  return self->selected_audio >= 0 ? get_audio_clip (self, self->selected_audio) : NULL;
}

static void
volume_changed_cb (TakesTimelineView *self)
{
  g_autoptr(TakesSoundtrackClip) clip = selected_audio_clip (self);

  if (self->updating_popover || clip == NULL || self->history == NULL)
    return;

  takes_history_set_double (self->history, clip, "volume",
                            gtk_range_get_value (GTK_RANGE (self->volume_scale)));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
remove_audio_clicked_cb (TakesTimelineView *self)
{
  g_autoptr(TakesSoundtrackClip) clip = selected_audio_clip (self);
  TakesProject *project = get_project (self);

  gtk_popover_popdown (GTK_POPOVER (self->audio_popover));
  if (clip == NULL || project == NULL)
    return;

  if (self->history != NULL)
    takes_history_remove_soundtrack_clip (self->history, clip);
  else
    takes_project_remove_soundtrack_clip (project, clip);
  self->selected_audio = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
open_audio_popover (TakesTimelineView *self,
                    guint              index)
{
  g_autoptr(TakesSoundtrackClip) clip = get_audio_clip (self, index);
  double start, duration;

  if (clip == NULL)
    return;

  self->selected_audio = index;
  audio_range (self, clip, &start, &duration);
  self->updating_popover = TRUE;
  gtk_range_set_value (GTK_RANGE (self->volume_scale), takes_soundtrack_clip_get_volume (clip));
  self->updating_popover = FALSE;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->audio_popover),
                               &(GdkRectangle) { (int) time_to_x (self, start + MIN (duration, 4.0) / 2),
                                                 (int) AUDIO_Y, 2, (int) AUDIO_HEIGHT });
  gtk_popover_popup (GTK_POPOVER (self->audio_popover));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static GtkWidget *
build_transition_popover (TakesTimelineView *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *heading = gtk_label_new (_("Transition to the Next Shot"));
  GtkWidget *toggles = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Length (seconds)"));

  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (box), heading);

  self->cut_toggle = gtk_toggle_button_new_with_label (_("Cut"));
  self->crossfade_toggle = gtk_toggle_button_new_with_label (_("Crossfade"));
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (self->crossfade_toggle),
                               GTK_TOGGLE_BUTTON (self->cut_toggle));
  gtk_widget_set_hexpand (self->cut_toggle, TRUE);
  gtk_widget_set_hexpand (self->crossfade_toggle, TRUE);
  gtk_widget_add_css_class (toggles, "linked");
  gtk_box_append (GTK_BOX (toggles), self->cut_toggle);
  gtk_box_append (GTK_BOX (toggles), self->crossfade_toggle);
  gtk_box_append (GTK_BOX (box), toggles);

  self->length_spin = gtk_spin_button_new_with_range (0.04, 5.0, 0.04);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (self->length_spin), 2);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->length_spin);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->length_spin),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), self->length_spin);
  gtk_box_append (GTK_BOX (box), row);

  g_signal_connect_swapped (self->crossfade_toggle, "toggled",
                            G_CALLBACK (transition_controls_changed_cb), self);
  g_signal_connect_swapped (self->length_spin, "value-changed",
                            G_CALLBACK (transition_controls_changed_cb), self);
  g_signal_connect_swapped (popover, "closed", G_CALLBACK (gtk_widget_queue_draw), self);

  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_widget_set_parent (popover, GTK_WIDGET (self));

  return popover;
}

static GtkWidget *
build_audio_popover (TakesTimelineView *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *label = gtk_label_new (_("Volume"));
  GtkWidget *remove = gtk_button_new_with_mnemonic (_("_Remove From Soundtrack"));

  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);

  self->volume_scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0.0, 2.0, 0.05);
  gtk_scale_add_mark (GTK_SCALE (self->volume_scale), 1.0, GTK_POS_BOTTOM, NULL);
  gtk_widget_set_size_request (self->volume_scale, 200, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->volume_scale),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Volume"),
                                  -1);
  gtk_box_append (GTK_BOX (box), self->volume_scale);

  gtk_widget_add_css_class (remove, "destructive-action");
  gtk_box_append (GTK_BOX (box), remove);

  g_signal_connect_swapped (self->volume_scale, "value-changed",
                            G_CALLBACK (volume_changed_cb), self);
  g_signal_connect_swapped (remove, "clicked", G_CALLBACK (remove_audio_clicked_cb), self);
  g_signal_connect_swapped (popover, "closed", G_CALLBACK (gtk_widget_queue_draw), self);

  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_widget_set_parent (popover, GTK_WIDGET (self));

  return popover;
}

/* Input ------------------------------------------------------------------ */

static void
scrub_to (TakesTimelineView *self,
          double             x)
{
  double time = x_to_time (self, x);
  double end = cut_duration (self);

  time = snap_time (self, time, -1);
  if (end > 0)
    time = MIN (time, MAX (end - frame_seconds (self), 0));
  takes_timeline_view_set_position (self, (gint64) llround (time * GST_SECOND));
}

static void
drag_begin_cb (GtkGestureDrag    *gesture,
               double             x,
               double             y,
               TakesTimelineView *self)
{
  int index;
  HitKind hit = hit_test (self, x, y, &index);

  gtk_widget_grab_focus (GTK_WIDGET (self));

  self->drag = DRAG_NONE;
  self->drag_index = index;
  self->drag_start_x = self->drag_x = x;
  self->drag_delta = 0;
  self->drag_moved = FALSE;

  switch (hit)
    {
    case HIT_RULER:
      self->drag = DRAG_SCRUB;
      scrub_to (self, x);
      break;

    case HIT_CLIP:
      self->drag = can_edit (self) ? DRAG_MOVE : DRAG_NONE;
      takes_timeline_view_set_selected_clip (self, index);
      break;

    case HIT_CLIP_START:
      self->drag = can_edit (self) ? DRAG_TRIM_START : DRAG_NONE;
      takes_timeline_view_set_selected_clip (self, index);
      break;

    case HIT_CLIP_END:
      self->drag = can_edit (self) ? DRAG_TRIM_END : DRAG_NONE;
      takes_timeline_view_set_selected_clip (self, index);
      break;

    case HIT_BOUNDARY:
      takes_timeline_view_set_selected_clip (self, index);
      open_transition_popover (self, index);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      break;

    case HIT_AUDIO:
      takes_timeline_view_set_selected_clip (self, -1);
      open_audio_popover (self, index);
      break;

    case HIT_NONE:
    default:
      takes_timeline_view_set_selected_clip (self, -1);
      self->selected_audio = -1;
      break;
    }

  if (self->drag != DRAG_NONE)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static double
trim_delta_for (TakesTimelineView *self,
                double             offset_x)
{
  double start, duration, edge, snapped;

  if (!clip_range (self, self->drag_index, &start, &duration))
    return 0;

  edge = self->drag == DRAG_TRIM_START ? start : start + duration;
  snapped = snap_time (self, edge + offset_x / self->pps, self->drag_index);

  return snapped - edge;
}

static void
drag_update_cb (GtkGestureDrag    *gesture,
                double             offset_x,
                double             offset_y,
                TakesTimelineView *self)
{
  self->drag_x = self->drag_start_x + offset_x;
  if (fabs (offset_x) > 4)
    self->drag_moved = TRUE;

  switch (self->drag)
    {
    case DRAG_SCRUB:
      scrub_to (self, self->drag_x);
      break;

    case DRAG_TRIM_START:
    case DRAG_TRIM_END:
      self->drag_delta = trim_delta_for (self, offset_x);
      break;

    case DRAG_MOVE:
    case DRAG_NONE:
    default:
      break;
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static int
drop_index_at (TakesTimelineView *self,
               double             x)
{
  guint n = n_clips (self);
  double time = x_to_time (self, x);

  for (guint i = 0; i < n; i++)
    {
      double start, duration;

      if (clip_range (self, i, &start, &duration) && time < start + duration)
        return i;
    }

  return MAX ((int) n - 1, 0);
}

static void
drag_end_cb (GtkGestureDrag    *gesture,
             double             offset_x,
             double             offset_y,
             TakesTimelineView *self)
{
  DragKind drag = self->drag;
  int index = self->drag_index;

  self->drag = DRAG_NONE;
  self->drag_index = -1;

  if (drag == DRAG_MOVE && self->drag_moved && index >= 0)
    {
      int target = drop_index_at (self, self->drag_start_x + offset_x);

      takes_timeline_view_set_selected_clip (self, index);
      takes_timeline_view_move_selected (self, target - index);
    }
  else if ((drag == DRAG_TRIM_START || drag == DRAG_TRIM_END) && self->drag_moved && index >= 0)
    {
      double start, duration, delta = self->drag_delta;

      /* A start trim that moved the edge right by d takes d off the
       * beginning of the take */
      if (clip_range (self, index, &start, &duration))
        takes_timeline_view_trim (self, index,
                                  drag == DRAG_TRIM_START ? GTK_POS_LEFT : GTK_POS_RIGHT,
                                  delta);
    }

  self->drag_delta = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           TakesTimelineView        *self)
{
  int index;
  const char *cursor = NULL;

  if (self->drag != DRAG_NONE)
    return;

  switch (hit_test (self, x, y, &index))
    {
    case HIT_CLIP_START:
    case HIT_CLIP_END:
      cursor = "col-resize";
      break;
    case HIT_BOUNDARY:
    case HIT_AUDIO:
      cursor = "pointer";
      break;
    case HIT_CLIP:
      cursor = can_edit (self) ? "grab" : NULL;
      break;
    case HIT_RULER:
      cursor = "text";
      break;
    case HIT_NONE:
    default:
      break;
    }

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), cursor);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           TakesTimelineView        *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    {
      takes_timeline_view_zoom (self, dy < 0 ? 1.25 : 0.8);
      return TRUE;
    }

  /* A plain wheel scrolls the film sideways: there is nothing to scroll
   * vertically here */
  if (self->hadjustment != NULL && dx == 0 && dy != 0)
    {
      gtk_adjustment_set_value (self->hadjustment,
                                gtk_adjustment_get_value (self->hadjustment) + dy * 40);
      return TRUE;
    }

  return FALSE;
}

static gboolean
drop_cb (GtkDropTarget     *target,
         const GValue      *value,
         double             x,
         double             y,
         TakesTimelineView *self)
{
  GSList *files;
  double start = snap_time (self, x_to_time (self, x), -1);

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || get_project (self) == NULL)
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autoptr(GFileInfo) info = g_file_query_info (l->data, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                                                     G_FILE_QUERY_INFO_NONE, NULL, NULL);
      const char *type = info != NULL ? g_file_info_get_content_type (info) : NULL;
      g_autofree char *mime = type != NULL ? g_content_type_get_mime_type (type) : NULL;

      /* Audio only: a video dropped here is not meant as music */
      if (mime != NULL && !g_str_has_prefix (mime, "audio/"))
        continue;

      takes_timeline_view_add_audio (self, l->data, start);
    }
  g_slist_free (files);

  return TRUE;
}

static void
step_position (TakesTimelineView *self,
               gint64             frames)
{
  gint64 frame;

  if (self->timeline == NULL)
    return;

  frame = takes_timeline_time_to_frame (self->timeline, self->position) + frames;
  frame = MAX (frame, 0);
  takes_timeline_view_set_position (self, takes_timeline_frame_to_time (self->timeline, frame));
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                TakesTimelineView     *self)
{
  gboolean alt = (state & GDK_ALT_MASK) != 0;

  state &= gtk_accelerator_get_default_mod_mask ();

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      if (alt)
        return takes_timeline_view_move_selected (self, -1) || TRUE;
      if (state == 0)
        {
          step_position (self, -1);
          return TRUE;
        }
      break;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      if (alt)
        return takes_timeline_view_move_selected (self, 1) || TRUE;
      if (state == 0)
        {
          step_position (self, 1);
          return TRUE;
        }
      break;

    case GDK_KEY_Home:
      takes_timeline_view_set_position (self, 0);
      return TRUE;

    case GDK_KEY_End:
      if (self->timeline != NULL)
        {
          gint64 frames = takes_timeline_time_to_frame (self->timeline,
                                                       takes_timeline_get_duration (self->timeline));
          takes_timeline_view_set_position (self,
                                            takes_timeline_frame_to_time (self->timeline, MAX (frames - 1, 0)));
        }
      return TRUE;

    case GDK_KEY_Up:
    case GDK_KEY_Down:
      /* Up/Down pick the previous or next clip, so every clip can be
       * reached without a pointer */
      if (n_clips (self) > 0)
        {
          int next = self->selected_clip + (keyval == GDK_KEY_Down ? 1 : -1);

          takes_timeline_view_set_selected_clip (self, CLAMP (next, 0, (int) n_clips (self) - 1));
          return TRUE;
        }
      break;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      takes_timeline_view_edit_transition (self);
      return TRUE;

    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      takes_timeline_view_zoom (self, 1.25);
      return TRUE;

    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      takes_timeline_view_zoom (self, 0.8);
      return TRUE;

    default:
      break;
    }

  return FALSE;
}

/* Life cycle --------------------------------------------------------------- */

static void
fit_zoom (TakesTimelineView *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double duration = cut_duration (self);

  if (!self->zoom_to_fit || width <= 0 || duration <= 0)
    return;

  self->pps = CLAMP ((width - 2 * PAD - 48) / duration, MIN_PPS, 200);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIXELS_PER_SECOND]);
}

static void
timeline_updated_cb (TakesTimelineView *self)
{
  int selected = -1;

  for (guint i = 0; self->selected_shot != NULL && i < n_clips (self); i++)
    if (takes_timeline_get_shot (self->timeline, i) == self->selected_shot)
      selected = i;
  if (selected < 0)
    g_clear_object (&self->selected_shot);
  if (selected != self->selected_clip)
    {
      self->selected_clip = selected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CLIP]);
    }

  fit_zoom (self);

  configure_adjustment (self);
  update_accessible (self);
  if (gtk_widget_get_visible (self->transition_popover))
    sync_transition_popover (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
takes_timeline_view_dispose (GObject *object)
{
  TakesTimelineView *self = TAKES_TIMELINE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->timeline != NULL)
    g_signal_handlers_disconnect_by_data (self->timeline, self);
  g_clear_object (&self->timeline);
  g_clear_object (&self->history);
  g_clear_object (&self->selected_shot);
  g_clear_pointer (&self->transition_popover, gtk_widget_unparent);
  g_clear_pointer (&self->audio_popover, gtk_widget_unparent);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->hadjustment, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (takes_timeline_view_parent_class)->dispose (object);
}

static void
takes_timeline_view_finalize (GObject *object)
{
  TakesTimelineView *self = TAKES_TIMELINE_VIEW (object);

  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (takes_timeline_view_parent_class)->finalize (object);
}

static void
takes_timeline_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TakesTimelineView *self = TAKES_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_TIMELINE:
      g_value_set_object (value, self->timeline);
      break;
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    case PROP_SELECTED_CLIP:
      g_value_set_int (value, self->selected_clip);
      break;
    case PROP_PIXELS_PER_SECOND:
      g_value_set_double (value, self->pps);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_timeline_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TakesTimelineView *self = TAKES_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      takes_timeline_view_set_position (self, g_value_get_int64 (value));
      break;
    case PROP_SELECTED_CLIP:
      takes_timeline_view_set_selected_clip (self, g_value_get_int (value));
      break;
    case PROP_PIXELS_PER_SECOND:
      takes_timeline_view_set_pixels_per_second (self, g_value_get_double (value));
      break;
    case PROP_HADJUSTMENT:
      set_hadjustment (self, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_vadjustment (self, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_timeline_view_class_init (TakesTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = takes_timeline_view_dispose;
  object_class->finalize = takes_timeline_view_finalize;
  object_class->get_property = takes_timeline_view_get_property;
  object_class->set_property = takes_timeline_view_set_property;

  widget_class->snapshot = takes_timeline_view_snapshot;
  widget_class->measure = takes_timeline_view_measure;
  widget_class->size_allocate = takes_timeline_view_size_allocate;
  widget_class->unmap = takes_timeline_view_unmap;

  properties[PROP_TIMELINE] =
    g_param_spec_object ("timeline", NULL, NULL, TAKES_TYPE_TIMELINE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] = g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_SELECTED_CLIP] = g_param_spec_int ("selected-clip", NULL, NULL, -1, G_MAXINT, -1, rw);
  properties[PROP_PIXELS_PER_SECOND] =
    g_param_spec_double ("pixels-per-second", NULL, NULL, MIN_PPS, MAX_PPS, DEFAULT_PPS, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_set_css_name (widget_class, "takestimelineview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
takes_timeline_view_init (TakesTimelineView *self)
{
  GtkGesture *drag;
  GtkEventController *controller;
  GtkDropTarget *drop;

  self->pps = DEFAULT_PPS;
  self->zoom_to_fit = TRUE;
  self->selected_clip = -1;
  self->selected_audio = -1;
  self->popover_boundary = -1;
  self->drag_index = -1;
  self->cancellable = g_cancellable_new ();
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  /* Time runs left to right in every language, as in other editors; the
   * surrounding toolbar and panes still follow the locale. */
  gtk_widget_set_direction (GTK_WIDGET (self), GTK_TEXT_DIR_LTR);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timeline"),
                                  -1);

  self->transition_popover = build_transition_popover (self);
  self->audio_popover = build_audio_popover (self);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  set_hadjustment (self, NULL);
  set_vadjustment (self, NULL);
  update_accessible (self);
}

GtkWidget *
takes_timeline_view_new (void)
{
  return g_object_new (TAKES_TYPE_TIMELINE_VIEW, NULL);
}

void
takes_timeline_view_set_timeline (TakesTimelineView *self,
                                  TakesTimeline     *timeline,
                                  TakesHistory      *history)
{
  g_return_if_fail (TAKES_IS_TIMELINE_VIEW (self));
  g_return_if_fail (timeline == NULL || TAKES_IS_TIMELINE (timeline));
  g_return_if_fail (history == NULL || TAKES_IS_HISTORY (history));

  g_set_object (&self->history, history);

  if (self->timeline == timeline)
    return;

  gtk_popover_popdown (GTK_POPOVER (self->transition_popover));
  gtk_popover_popdown (GTK_POPOVER (self->audio_popover));

  if (self->timeline != NULL)
    g_signal_handlers_disconnect_by_data (self->timeline, self);
  g_set_object (&self->timeline, timeline);
  if (timeline != NULL)
    g_signal_connect_object (timeline, "updated", G_CALLBACK (timeline_updated_cb), self,
                             G_CONNECT_SWAPPED);

  g_hash_table_remove_all (self->textures);
  g_clear_object (&self->selected_shot);
  self->selected_clip = -1;
  self->selected_audio = -1;
  self->position = 0;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMELINE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CLIP]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  timeline_updated_cb (self);
}

TakesTimeline *
takes_timeline_view_get_timeline (TakesTimelineView *self)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE_VIEW (self), NULL);

  return self->timeline;
}

gint64
takes_timeline_view_get_position (TakesTimelineView *self)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE_VIEW (self), 0);

  return self->position;
}

void
takes_timeline_view_set_position (TakesTimelineView *self,
                                  gint64             position)
{
  g_return_if_fail (TAKES_IS_TIMELINE_VIEW (self));

  position = MAX (position, 0);
  if (self->position == position)
    return;

  self->position = position;
  follow_playhead (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

int
takes_timeline_view_get_selected_clip (TakesTimelineView *self)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE_VIEW (self), -1);

  return self->selected_clip;
}

void
takes_timeline_view_set_selected_clip (TakesTimelineView *self,
                                       int                position)
{
  TakesShot *shot;

  g_return_if_fail (TAKES_IS_TIMELINE_VIEW (self));

  position = CLAMP (position, -1, (int) n_clips (self) - 1);
  shot = position >= 0 ? takes_timeline_get_shot (self->timeline, position) : NULL;
  g_set_object (&self->selected_shot, shot);
  if (self->selected_clip == position)
    return;

  self->selected_clip = position;
  if (position >= 0)
    self->selected_audio = -1;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CLIP]);
}

double
takes_timeline_view_get_pixels_per_second (TakesTimelineView *self)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE_VIEW (self), DEFAULT_PPS);

  return self->pps;
}

void
takes_timeline_view_set_pixels_per_second (TakesTimelineView *self,
                                           double             pixels_per_second)
{
  double anchor_time, anchor_x;

  g_return_if_fail (TAKES_IS_TIMELINE_VIEW (self));

  pixels_per_second = CLAMP (pixels_per_second, MIN_PPS, MAX_PPS);
  if (self->pps == pixels_per_second)
    return;

  /* Zoom around the playhead, so what is being looked at stays put */
  anchor_time = seconds (self->position);
  anchor_x = time_to_x (self, anchor_time);
  self->pps = pixels_per_second;
  configure_adjustment (self);
  if (self->hadjustment != NULL)
    gtk_adjustment_set_value (self->hadjustment,
                              MAX (0, PAD + anchor_time * self->pps - anchor_x));

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIXELS_PER_SECOND]);
}

void
takes_timeline_view_zoom (TakesTimelineView *self,
                          double             factor)
{
  g_return_if_fail (TAKES_IS_TIMELINE_VIEW (self));

  self->zoom_to_fit = FALSE;
  takes_timeline_view_set_pixels_per_second (self, self->pps * factor);
}
