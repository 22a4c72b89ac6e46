//! [ssr] The charts, drawn on the server as SVG with plotters: readable without JavaScript,
//! each with a title and a description for screen readers, beside the table it draws.

use plotters::prelude::*;

use crate::i18n::t;
use crate::indicators::dto::Table;

/// How a table is drawn: horizontal bars of one column, or lines of several over its rows.
enum Kind {
    Bars(usize),
    Lines(&'static [usize]),
}

fn kind(table_id: &str) -> Option<Kind> {
    match table_id {
        "participants" => Some(Kind::Bars(2)),
        "origines" | "motifs" | "professions" | "reorientations" | "refus" => Some(Kind::Bars(1)),
        "semaines" => Some(Kind::Lines(&[1, 2])),
        _ => None,
    }
}

// Narrow enough that the labels stay readable when a phone shows the chart at its width.
const WIDTH: u32 = 480;
const INK: RGBColor = RGBColor(0x1f, 0x2a, 0x37);
const SERIES: [RGBColor; 2] = [RGBColor(0x1d, 0x5f, 0xa8), RGBColor(0x1b, 0x7f, 0x4b)];

/// A number of a table's cell ("12", "45,2"); `None` for "–" or text.
fn value(cell: &str) -> Option<f64> {
    cell.replace(',', ".").parse().ok()
}

/// The table's chart, when it has one and something to draw.
pub fn draw(table: &Table) -> Option<String> {
    // The last row of a breakdown is its total: not a bar.
    let rows: Vec<&Vec<String>> = table.rows.iter().filter(|r| r.first().is_some_and(|c| c != t::TOTAL())).collect();
    if rows.is_empty() {
        return None;
    }
    let svg = match kind(&table.id)? {
        Kind::Bars(column) => {
            let bars: Vec<(String, f64)> =
                rows.iter().map(|r| (r[0].clone(), r.get(column).and_then(|c| value(c)).unwrap_or(0.0))).collect();
            bars_svg(&bars)
        }
        Kind::Lines(columns) => {
            let labels: Vec<String> = rows.iter().map(|r| r[0].chars().take(5).collect()).collect();
            let series: Vec<(String, Vec<f64>)> = columns
                .iter()
                .map(|&c| {
                    let name = table.columns.get(c).cloned().unwrap_or_default();
                    (name, rows.iter().map(|r| r.get(c).and_then(|v| value(v)).unwrap_or(0.0)).collect())
                })
                .collect();
            lines_svg(&labels, &series)
        }
    };
    match svg {
        Ok(svg) => Some(accessible(svg, table)),
        Err(e) => {
            tracing::error!(table = %table.id, error = %e, "chart not drawn");
            None
        }
    }
}

/// Names the drawing for screen readers: `role="img"`, a `<title>` and a `<desc>` that says the
/// table beside it holds the figures.
fn accessible(svg: String, table: &Table) -> String {
    let id = format!("chart-{}", table.id);
    let open = svg.find('>').unwrap_or(0);
    let (head, rest) = svg.split_at(open);
    let head = head.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart\" "),
        1,
    );
    format!(
        "{head}><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{}",
        escape(&table.title),
        escape(t::GRAPHIQUE_DESC()),
        &rest[1..]
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

type Drawn = Result<String, Box<dyn std::error::Error>>;

fn bars_svg(bars: &[(String, f64)]) -> Drawn {
    let height = 40 + 28 * bars.len() as u32;
    let max = bars.iter().map(|b| b.1).fold(1.0, f64::max);
    let label_width = bars.iter().map(|b| b.0.chars().count()).max().unwrap_or(4).clamp(4, 28) as u32 * 7 + 8;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(label_width)
            .build_cartesian_2d(0.0..max * 1.1, (0..bars.len() as i32 - 1).into_segmented())?;
        let names: Vec<&str> = bars.iter().map(|b| b.0.as_str()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(INK.mix(0.08))
            .axis_style(INK.mix(0.6))
            .label_style(("sans-serif", 13).into_font().color(&INK))
            .y_labels(bars.len())
            // The first row of the table at the top: bar i is drawn at n - 1 - i.
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| names.len().checked_sub(i + 1))
                    .and_then(|k| names.get(k))
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_formatter(&|x| format!("{x:.0}"))
            .draw()?;
        chart.draw_series(
            Histogram::horizontal(&chart)
                .style(SERIES[0].filled())
                .margin(4)
                .data(bars.iter().enumerate().map(|(i, b)| ((bars.len() - 1 - i) as i32, b.1))),
        )?;
        root.present()?;
    }
    Ok(svg)
}

fn lines_svg(labels: &[String], series: &[(String, Vec<f64>)]) -> Drawn {
    let max = series.iter().flat_map(|s| s.1.iter().copied()).fold(1.0, f64::max);
    let last = labels.len().saturating_sub(1).max(1) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 300)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(40)
            .build_cartesian_2d(0.0..last, 0.0..max * 1.15)?;
        chart
            .configure_mesh()
            .light_line_style(INK.mix(0.08))
            .axis_style(INK.mix(0.6))
            .label_style(("sans-serif", 13).into_font().color(&INK))
            .x_labels(labels.len().min(8))
            .x_label_formatter(&|x| labels.get(x.round() as usize).cloned().unwrap_or_default())
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()?;
        for (i, (name, values)) in series.iter().enumerate() {
            let color = SERIES[i % SERIES.len()];
            chart
                .draw_series(LineSeries::new(
                    values.iter().enumerate().map(|(x, y)| (x as f64, *y)),
                    color.stroke_width(2),
                ))?
                .label(name.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .border_style(INK.mix(0.3))
            .label_font(("sans-serif", 13).into_font().color(&INK))
            .draw()?;
        root.present()?;
    }
    Ok(svg)
}
