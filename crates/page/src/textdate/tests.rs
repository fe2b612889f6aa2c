use super::*;

fn show(text: &str, order: Order) -> String {
    find(text, order).map_or("-".into(), |d| d.to_string())
}

#[test]
fn dates_in_running_text() {
    let day_first = [
        ("Posted on March 5th, 2020 by Ann", "2020-03-05"),
        ("17. März 2020, 14:32 Uhr", "2020-03-17"),
        ("mardi 17 mars 2020", "2020-03-17"),
        ("17 de março de 2020", "2020-03-17"),
        ("the 5th of May 2019", "2019-05-05"),
        ("Stand: 17.03.2020", "2020-03-17"),
        ("05/03/2020", "2020-03-05"),
        ("03/17/2020", "2020-03-17"),
        ("updated 2020-03-18T10:00", "2020-03-18"),
        ("20200317-story", "2020-03-17"),
        ("2020年3月17日 10:00", "2020-03-17"),
        ("2020년 3월 17일", "2020-03-17"),
        ("17 marca 2020 r.", "2020-03-17"),
        ("12.03.20", "2020-03-12"),
        // the leftmost date counts
        ("17.03.2020, updated 2020-03-18", "2020-03-17"),
        // no date
        ("Call 0800 123 4567", "-"),
        ("v1.2.3", "-"),
        ("31.02.2020", "-"),
        ("Maybe 5, 2020", "-"),
    ];
    let got: Vec<String> = day_first
        .iter()
        .map(|(t, _)| format!("{t:?} {}", show(t, Order::DayFirst)))
        .collect();
    let want: Vec<String> = day_first
        .iter()
        .map(|(t, w)| format!("{t:?} {w}"))
        .collect();
    assert_eq!(got, want);
    assert_eq!(show("05/03/2020", Order::MonthFirst), "2020-05-03");
    assert_eq!(Order::of_language(Some("en-US")), Order::MonthFirst);
    assert_eq!(Order::of_language(Some("en-GB")), Order::DayFirst);
}
