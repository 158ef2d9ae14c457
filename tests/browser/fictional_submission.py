"""A fictional first self-assessment (early form) with the shape and length of seed 003.

Every answer is written as the stored HTML it must read back as: paragraphs, numbered lists in
the per-theme answers, a link, bold text. All names and numbers are invented.
"""

ORGANISATION = "University of Aldermoor"


def paragraphs(*texts: str) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def numbered(*items: str) -> str:
    return "<ol>" + "".join(f"<li>{i}</li>" for i in items) + "</ol>"


def bulleted(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


SHORT = {
    "organisation": ORGANISATION,
    "lead_name": "Dr Lena Aldous",
    "lead_email": "lead.a@example.org",
    "lead_telephone": "0161 496 0321",
    "publication": "https://aldermoor.example.org/technicians/commitment",
}

LONG = {
    "profile": paragraphs(
        "The University of Aldermoor was founded in 1894 as a college of mining and textiles and "
        "received its charter in 1962. It is a research-intensive university of four faculties: "
        "Science and Engineering, Health and Life Sciences, Humanities and Social Sciences, and "
        "the Aldermoor Business School. Our research income last year was £148 million.",
        "We teach on two campuses, the city campus at Aldermoor and the Fenside agricultural "
        "campus twelve miles to the north, and we run a marine field station on the coast. "
        "Our partnerships with regional hospitals, the Northfold Science Park and three further "
        "education colleges shape much of our applied research and our apprenticeships.",
        "We have 21,480 students (including 1,900 studying part-time) and employ 6,210 staff, of "
        "whom 702 work in <strong>technical</strong> roles. Technical staff support teaching "
        "laboratories, core research facilities, workshops, studios, farms and our digital "
        "infrastructure, and many of them teach practical skills directly.",
    ),
    "technician_definition": paragraphs(
        "We define technicians as colleagues whose role description is classed as technical in "
        "our human resources system. These roles are grouped into laboratory, workshop and "
        "engineering, information technology, creative and media, and facilities families, "
        "and they span grades 3 to 8 of our pay spine, from apprentice to facility manager.",
        "Technicians may work full-time or part-time, on permanent or fixed-term contracts, and "
        "some are funded by research grants. We also count research software engineers, "
        "theatre and studio technicians, animal technologists and farm technicians, who told us "
        "in our 2025 survey that they wished to be part of the technical community even where "
        "their job titles do not use the word technician.",
        "This wider definition was agreed by the University Executive in May 2026 after "
        "consultation with the trade unions, and it is now used in our equality monitoring, "
        "our staff survey and our workforce planning, so that the same people are counted in "
        "the same way wherever technical staff are reported.",
    ),
    "technician_numbers": paragraphs(
        "There are 702 staff in technical roles at the University of Aldermoor. Fig. 1 shows "
        "their distribution by faculty and professional service. Most are based on the city "
        "campus; 88 work at Fenside and 14 at the marine field station.",
        "Figs. 2 to 5 break the numbers down by department within each faculty. Technical teams "
        "are managed locally within schools, with a faculty technical manager in each faculty "
        "who meets the other faculty technical managers monthly.",
        "The professional services employ 128 technicians, most of them in Estates and Digital "
        "Services. A further 31 technicians are employed by the University's two subsidiary "
        "companies, which run the science park's shared instruments and the conference centre; "
        "they are included in our figures and in every action in our plan, although their "
        "terms and conditions are set by the companies.",
        "Of the 702, 58% are men and 42% women; 9% are from minority ethnic backgrounds; 17% work "
        "part-time and 12% are on fixed-term contracts, most of them funded by research grants.",
    ),
    "initiatives_before": paragraphs(
        "Before signing the Technician Commitment, the University had adopted a strategy built "
        "on three pillars, each of which names the development of our staff as a priority:",
    )
    + numbered("Research and Discovery", "Education and Student Experience", "Civic Partnership")
    + paragraphs(
        "Within that strategy, technical colleagues had already taken part in the following "
        "development programmes:",
        "<strong>Leadership development</strong>",
        "Nineteen technicians completed our Leading Teams programme between 2021 and 2024. Two "
        "technicians were funded to join a national leadership programme for women in higher "
        "education, and one completed a leadership programme for colleagues from minority ethnic "
        "backgrounds.",
        "<strong>Departmental activities</strong>",
    )
    + numbered(
        "The University has subscribed to a national technical training catalogue since 2014 "
        "and has used its courses to let technicians develop skills outside their own area.",
        "Between 2016 and 2019, eleven technicians completed laboratory apprenticeships, and "
        "seven of them now hold permanent technical posts with us.",
        "In 2020 the Faculty of Science and Engineering reviewed the skills of its technical "
        "staff through workshops and a survey, producing a skills matrix that managers use to "
        "plan cover, share equipment expertise and identify training needs.",
    )
    + paragraphs(
        "The skills matrix is now kept up to date each year and has been copied by the Faculty "
        "of Health and Life Sciences, whose technical managers presented it at a regional "
        "network meeting in 2024.",
        "<strong>Recognition and reward</strong>",
        "Since 2018 our staff awards have had a category for professional services teams, and "
        "technical teams won it three times before we signed. The University also contributed "
        "to the fees of technicians seeking professional registration, although this was "
        "decided school by school and few technicians knew that it was available.",
        "We held a technical staff conference for the Faculty of Science and Engineering in 2019 "
        "and 2022, attended by about 150 technicians each time. Feedback from those conferences "
        "led directly to the Faculty's mentoring scheme, which now pairs 34 technicians with "
        "mentors from technical, academic and professional services roles.",
    ),
    "technician_voice": paragraphs(
        "In February 2026 we held our first Technical Leaders Forum. Forty-six leaders and "
        "managers of technical teams from all four faculties and the professional services "
        "attended, and they were joined by 120 technicians in six open workshops held across "
        "both campuses and online. Each workshop worked through one theme of the Commitment and "
        "asked what would make the most difference in the next two years.",
        "The forum's steering group, in which technicians at every grade hold half the seats, "
        "turned the workshops' suggestions into draft actions. The drafts were shared with every "
        "technician for comment for three weeks, and the comments were read and answered by the "
        "steering group before the actions were put into our 24-month action plan.",
        "Technicians at Fenside and the field station, and those who work night shifts in the "
        "animal facilities, were visited in person by members of the steering group so that "
        "their views were heard as well as those of colleagues who could attend the workshops.",
        "The steering group will meet every two months while the plan runs. It will report "
        "progress on each action, with its RAG status, to the Technical Leaders Forum and to "
        "the Technical Staff Network, so that technicians can see what has changed and say "
        "what has not.",
    ),
}

THEMES = {
    "visibility": paragraphs(
        "Since signing, we have concentrated on making the technical community visible to "
        "itself and to the rest of the University."
    )
    + numbered(
        "A steering group was formed with members representing every faculty, both campuses "
        "and the field station, and the full range of technical disciplines.",
        "The steering group set up the Technical Leaders Forum, which brings together every "
        "area of the technical workforce and reports each term to the University Executive.",
        "In June 2026 the University held its first Technical Showcase, with 640 visitors over "
        "two days. Forty technical teams demonstrated their work, from cryo-electron microscopy "
        "to costume making for the drama department.",
        "Technicians now sit on every programme team in our curriculum review, so that the "
        "practical teaching they deliver is designed with them rather than for them.",
        "A Technical Staff Network has been established, with a lunchtime seminar series and "
        "an online space open to all technical colleagues.",
        "Technicians have joined the health and safety competence group, where their "
        "experience of running laboratories and workshops safely shapes our training.",
        "A termly e-newsletter for the technical community began in September 2026, and a "
        "technicians' website is being built with the communications team.",
    ),
    "recognition": numbered(
        "From 2027 our annual staff awards will include a Technician of the Year award, chosen "
        "by a panel on which technicians hold the majority.",
        "In 2025/26 six technicians became registered as RSciTech or RSci, and a further nine "
        "have applications under way with the University paying their fees.",
        "The Imaging Core team was shortlisted for the University's Team of the Year award in "
        "2026, the first technical team to be shortlisted.",
        "Technicians who contribute to research outputs are now named as authors or "
        "acknowledged by name, following guidance agreed by the research committee.",
        "Our promotion criteria for technical grades were rewritten with the trade unions so "
        "that teaching, training others and running shared facilities are all recognised.",
        "The Institute of Ageing holds a gold award for gender equality; its submission "
        "described how technical staff shaped its flexible working policy, and the panel "
        "singled out the technicians' mentoring scheme as good practice.",
        "Technicians are now invited to every research open day and public lecture given by "
        "the groups they support, and their names appear on the posters and programmes.",
    )
    + paragraphs(
        "We know that recognition is uneven between faculties. In our 2025 survey, 71% of "
        "technicians in Science and Engineering said that their contribution to research was "
        "acknowledged, against 38% in Humanities and Social Sciences. Closing that gap is one "
        "of the first actions in our plan."
    ),
    "career-development": numbered(
        "We continue to fund the national technical training catalogue centrally, so that any "
        "technician can take a course without a departmental budget.",
        "Apprenticeships are offered every year in laboratory, engineering and digital roles; "
        "fourteen apprentices are in post this year.",
        "Faculties run development activities for their own technicians that were not recorded "
        "centrally; from 2026 they are logged so that every technician's training is visible "
        "to them and to their manager.",
        "Technicians now have a reserved place on every cohort of the Leading Teams programme.",
        "Our review of teaching development programmes has produced a short course in "
        "practical teaching for technicians who teach, accredited by a professional body.",
        "A work-shadowing scheme lets technicians spend up to five days a year in another "
        "team, on either campus, to learn a technique or see how another facility is run.",
        "Every technician now has an annual development conversation with their manager, "
        "using a template written with the Technical Staff Network rather than the general "
        "appraisal form, which technicians told us did not fit their work.",
    )
    + paragraphs(
        "Take-up of training has risen from 2.1 to 3.4 days per technician per year since we "
        "signed, but part-time and night-shift colleagues still take up less than half as "
        "much. The action plan sets out how we will reach them, including recorded sessions "
        "and training held at Fenside and the field station rather than only in the city."
    ),
    "sustainability": numbered(
        "We are writing a workforce plan that estimates which technical skills we could lose "
        "through retirement over the next ten years and how apprenticeships and secondments "
        "can replace them. Using the apprenticeship levy is central to that plan.",
        "The Faculty of Health and Life Sciences is working with two other universities and a "
        "research institute to define the core skills of a research technician, so that "
        "training and job descriptions can be shared across the region.",
        "Succession plans have been written for the twelve facilities in which a single "
        "technician holds knowledge that nobody else has, beginning with the electron "
        "microscopy suite and the glass-blowing workshop.",
    )
    + paragraphs(
        "One in four of our technicians is over 55, and in some specialist workshops the "
        "proportion is higher still. The workforce plan will be published in the spring, and "
        "its first recommendations are already in our action plan: paired posts in which an "
        "experienced technician and a trainee work side by side for two years, and a "
        "returners' scheme for technicians who have left the profession for caring "
        "responsibilities."
    ),
}

ACTION_PLAN = paragraphs("See the action plan appended to this self-assessment.")

FIGURES = [
    (
        "Fig. 1 – Technical staff by faculty and professional service (August 2026)",
        "Bar chart: Science and Engineering 241, Health and Life Sciences 263, Humanities and "
        "Social Sciences 61, Business School 9, professional services 128.",
    ),
    (
        "Fig. 2 – Technicians in the departments of the professional services",
        "Bar chart: Estates 52, Digital Services 47, Library 15, Sport 14.",
    ),
    (
        "Fig. 3 – Technicians in the institutes of Health and Life Sciences",
        "Bar chart: Infection Biology 71, Ageing 66, Veterinary Science 80, Medicine 46.",
    ),
    (
        "Fig. 4 – Technicians in the schools of Humanities and Social Sciences",
        "Bar chart: Music and Drama 27, Archaeology 19, Psychology 15.",
    ),
    (
        "Fig. 5 – Technicians in the schools of Science and Engineering",
        "Bar chart: Engineering 92, Chemistry 64, Physics 48, Environmental Sciences 37.",
    ),
]


def word_total() -> int:
    from techcommit.text import count_words

    texts = [*SHORT.values(), *LONG.values(), *THEMES.values(), ACTION_PLAN]
    return sum(count_words(t) for t in texts)
